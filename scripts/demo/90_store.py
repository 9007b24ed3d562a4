"""Demo step 90: the LandEval store (GeoPackage, no server): create out/landeval_store.gpkg, grade
the sample district into it (landeval:grade STORE=, year 2022), propose the disposal paths into its
register (landeval:disposal STORE=: the low-efficiency parcels enter the 台账 as 初步清单), then back
the store up to out/landeval_store_backup.gpkg with landeval:storeexport (every table checked)."""
import json
import os

import demo_lib


def run():
    src = demo_lib.out("parcels_data.gpkg")
    if not os.path.exists(src):
        raise SystemExit("demo 90: {} is missing (step 30 joins the enterprise data)".format(src))
    store, backup, graded, disposal = (demo_lib.out(n) for n in (
        "landeval_store.gpkg", "landeval_store_backup.gpkg", "graded_store.gpkg", "disposal_store.gpkg"))
    sample = demo_lib.out("sample", "sample_district.gpkg")
    for path in (store, backup, graded, disposal):
        if os.path.exists(path):
            os.remove(path)
    demo_lib.qgis_process("landeval:createstore", FILE=store, CRS="EPSG:4549")
    r = demo_lib.qgis_process("landeval:grade", INPUT=src, STANDARD="zhejiang_huangyan_2022", YEAR=2022,
                              OUTPUT=graded, STORE=store)
    print("  run {} of 2022 recorded in {}".format(r.get("RUN_ID"), store))
    demo_lib.qgis_process("landeval:disposal", INPUT=graded, RULESET="tonglu_2022", SHARE=0.5, OUTPUT=disposal,
                          DEVELOPMENT_BOUNDARY="{}|layername=czkfbj".format(sample),
                          INDUSTRIAL_LINE="{}|layername=gybzx".format(sample), STORE=store, YEAR=2022)
    r = demo_lib.qgis_process("landeval:storeexport", STORE=store, OUTPUT=backup)
    print("  backup checked, rows per table: {}".format(", ".join("{} {}".format(k, v) for k, v in
                                                                json.loads(r["CHECK"]).items())))
