"""Demo step 95: a second evaluation year (复评) in the GeoPackage store of step 90.

landeval:samplenextyear makes 2023 from the 2022 parcel data (some parcels improve, some decline,
some are split) and, with STORE, fixes 40% of the 2022 class D parcels (their register rows go
through the workflow to 已完成); landeval:grade writes the 2023 grading into out/landeval_store.gpkg;
landeval:comparerounds writes per parcel what changed between 2022 and 2023
(out/changes_2022_2023.gpkg) with counts by change and by town and class, and what became of the
fixed parcels (出库, or still low-efficiency after improvement); landeval:registerexport writes the
2022 台账 (out/低效用地台账_2022.xlsx); landeval:dossiers STORE= prints the sheet of a fixed parcel
with its history across both years (out/dossier_history.pdf)."""
import json
import os

import demo_lib

# the demo prints in Chinese what comparerounds counts
DIRECTION = {"up": "上升", "down": "下降", "same": "不变", "-": "无可比类别（新增、移除、拆分或T类）"}
CHANGE = {"kept": "延续", "new": "新增", "removed": "移除", "split": "拆分", "merged": "合并"}
LIST_CHANGE = {"entered": "新进入清单", "left": "出库", "stayed": "仍在清单",
               "stayed after improvement": "整治后仍低效"}


def run():
    src, store = demo_lib.out("parcels_data.gpkg"), demo_lib.out("landeval_store.gpkg")
    if not os.path.exists(store):
        raise SystemExit("demo 95: {} is missing (step 90 creates the store)".format(store))
    nxt, graded, changes, register, sheet = (demo_lib.out(n) for n in (
        "parcels_data_2023.gpkg", "graded_2023.gpkg", "changes_2022_2023.gpkg", "低效用地台账_2022.xlsx",
        "dossier_history.pdf"))
    for path in (nxt, graded, changes, register, sheet):
        if os.path.exists(path):
            os.remove(path)
    r = demo_lib.qgis_process("landeval:samplenextyear", INPUT=src, SEED=2, OUTPUT=nxt, STORE=store, YEAR=2022,
                              FIXED=0.4)
    fixed = json.loads(r["FIXED_CODES"])
    print("  2023: {}; {} class D parcels of 2022 fixed (台账 已完成)".format(r.get("CHANGES"), len(fixed)))
    demo_lib.qgis_process("landeval:grade", INPUT=nxt, STANDARD="zhejiang_huangyan_2022", YEAR=2023, OUTPUT=graded,
                          STORE=store)
    r = demo_lib.qgis_process("landeval:comparerounds", STORE=store, YEAR_A=2022, YEAR_B=2023, OUTPUT=changes)
    s = json.loads(r["SUMMARY"])
    print("  low-efficiency list (D or tagged): {} in 2022, {} in 2023; {}".format(
        s["list_a"], s["list_b"], ", ".join("{} {}".format(LIST_CHANGE.get(k, k), v)
                                            for k, v in s["list_change"].items() if k != "-")))
    print("  fixed under D in 2022, re-evaluated in 2023: {}".format(
        ", ".join("{} {}".format(LIST_CHANGE.get(k, k), v) for k, v in s["fixed"].items()) or "-"))
    print("  classes up/down: {}; parcels: {}".format(
        ", ".join("{} {}".format(DIRECTION.get(k, k), v) for k, v in s["direction"].items()),
        ", ".join("{} {}".format(CHANGE.get(k, k), v) for k, v in s["change"].items())))
    r = demo_lib.qgis_process("landeval:registerexport", STORE=store, YEAR=2022, OUTPUT=register)
    print("  台账 2022: {} on the list, {} register rows {} -> {}".format(r["LIST"], r["REGISTER"], r["STATUS"],
                                                                        register))
    left = sorted(c for c in fixed if c in _left(changes))
    if left:
        demo_lib.qgis_process("landeval:dossiers", INPUT=graded, FILTER="\"parcel_code\" = '{}'".format(left[0]),
                              OUTPUT_PDF=sheet, STORE=store, YEAR=2023)
        print("  sheet of {} (fixed in 2022, 出库 in 2023) with its 历年评价: {}".format(left[0], sheet))


def _left(changes):
    """Codes whose list change is 'left' in the comparison layer."""
    import sqlite3

    con = sqlite3.connect(changes)
    try:
        table = con.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()[0]
        return {r[0] for r in con.execute('SELECT parcel_code FROM "{}" WHERE list_change = ?'.format(
            table.replace('"', '""')), ("left",))}
    finally:
        con.close()
