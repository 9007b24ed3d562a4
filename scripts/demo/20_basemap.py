"""Step 20: the 一张图 base map from 不动产登记 > 用地批文 (GBK Shapefile) > 土地利用现状."""
import os

import demo_lib


def run():
    sample = os.path.join(demo_lib.OUT, "sample")
    gpkg = os.path.join(sample, "sample_district.gpkg")
    shp = os.path.join(sample, "ydpw_gbk.shp")
    for path in (gpkg, shp):
        if not os.path.exists(path):
            raise SystemExit("demo: {} missing; step 10 (sample district) writes it".format(path))
    out = demo_lib.out("base_map.gpkg")
    qa = demo_lib.out("base_map_qa.gpkg")
    results = demo_lib.qgis_process(
        "landeval:buildbaselayer",
        SOURCES=[gpkg + "|layername=bdcdj", shp, gpkg + "|layername=tdlyxz"],
        ROLES="不动产登记,用地批文,土地利用现状",
        OUTPUT=out, QA_OUTPUT=qa)
    print("  wrote {} ({} parcels, {:.1f} ha), {} ({} QA rows)".format(
        os.path.relpath(out, demo_lib.ROOT), int(results["PARCEL_COUNT"]), float(results["AREA_M2"]) / 1e4,
        os.path.relpath(qa, demo_lib.ROOT), int(results["QA_COUNT"])))
