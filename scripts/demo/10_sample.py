"""Step 10: generate the sample district into out/sample/ (landeval:sampledistrict)."""
import os

import demo_lib

PARCELS = int(os.environ.get("LANDEVAL_DEMO_PARCELS", "3000"))


def run():
    folder = os.path.join(demo_lib.OUT, "sample")
    results = demo_lib.qgis_process("landeval:sampledistrict", OUTPUT_FOLDER=folder, PARCELS=PARCELS, SEED=42,
                                      OVERWRITE=True)  # the demo regenerates out/sample on every run
    for key in ("OUTPUT_GPKG", "OUTPUT_YDPW_SHP", "OUTPUT_ENTERPRISES", "OUTPUT_LINK"):
        print("  wrote", os.path.relpath(results[key], demo_lib.ROOT))
