"""Demo step 95: a second evaluation year (复评) in the GeoPackage store of step 90.

landeval:samplenextyear makes 2023 from the 2022 parcel data (some parcels improve, some decline,
some are split), landeval:grade writes its grading into out/landeval_store.gpkg, and
landeval:comparerounds writes per parcel what changed between 2022 and 2023
(out/changes_2022_2023.gpkg) with counts by change and by town and class."""
import json
import os

import demo_lib


def run():
    src, store = demo_lib.out("parcels_data.gpkg"), demo_lib.out("landeval_store.gpkg")
    if not os.path.exists(store):
        raise SystemExit("demo 95: {} is missing (step 90 creates the store)".format(store))
    nxt, graded, changes = (demo_lib.out(n) for n in ("parcels_data_2023.gpkg", "graded_2023.gpkg",
                                                      "changes_2022_2023.gpkg"))
    for path in (nxt, graded, changes):
        if os.path.exists(path):
            os.remove(path)
    r = demo_lib.qgis_process("landeval:samplenextyear", INPUT=src, SEED=2, OUTPUT=nxt)
    print("  2023: {}".format(r.get("CHANGES")))
    demo_lib.qgis_process("landeval:grade", INPUT=nxt, STANDARD="zhejiang_huangyan_2022", YEAR=2023, OUTPUT=graded,
                          STORE=store)
    r = demo_lib.qgis_process("landeval:comparerounds", STORE=store, YEAR_A=2022, YEAR_B=2023, OUTPUT=changes)
    s = json.loads(r["SUMMARY"])
    print("  low-efficiency list (D or tagged): {} in 2022, {} in 2023; {}".format(
        s["list_a"], s["list_b"], ", ".join("{} {}".format(k, v) for k, v in s["list_change"].items() if k != "-")))
    print("  classes up/down: {}; parcels: {}".format(
        ", ".join("{} {}".format(k, v) for k, v in s["direction"].items()),
        ", ".join("{} {}".format(k, v) for k, v in s["change"].items())))
