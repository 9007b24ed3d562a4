"""Demo step 50: 连片整治 areas of the sample district (landeval:clusters on out/graded.gpkg).

Members are C/D and low-efficiency parcels; a 30 m gap bridges the district's roads; areas under
50 亩 are not kept. Writes out/clusters.gpkg and out/clustered_parcels.gpkg.
"""
import os

import demo_lib

FILTER = "\"grade\" IN ('C','D') OR \"low_eff\""
GAP_M = 30
MIN_AREA_MU = 50


def run():
    graded = demo_lib.out("graded.gpkg")
    if not os.path.exists(graded):
        raise SystemExit("demo 50: {} is missing (step 40 grades the sample district)".format(graded))
    clusters, parcels = demo_lib.out("clusters.gpkg"), demo_lib.out("clustered_parcels.gpkg")
    for path in (clusters, parcels):
        if os.path.exists(path):
            os.remove(path)
    res = demo_lib.qgis_process("landeval:clusters", INPUT=graded, FILTER=FILTER, GAP_M=GAP_M, CORNERS=False,
                                MIN_AREA_MU=MIN_AREA_MU, MIN_PARCELS=2, OUTPUT=clusters, OUTPUT_PARCELS=parcels)
    print("  {} clusters of at least {} 亩 with a {} m gap, {:,.0f} 亩 in all: {} parcels, of the {} the filter "
          "chose".format(res.get("CLUSTER_COUNT"), MIN_AREA_MU, GAP_M, float(res.get("CLUSTER_AREA_MU") or 0),
                         res.get("CLUSTERED_COUNT"), res.get("MEMBER_COUNT")))
