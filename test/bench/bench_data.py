"""Data step: 100,000 enterprises x 3 years (.xlsx, 300,000 rows) joined to 50,000 parcels.

LandEval (landeval:joinenterprises: read, clean, check codes, sum, split, 3 years, indicators,
enterprises table, report) beside the plain way: pandas.read_excel + native:joinattributestable
(one year, first match only, no cleaning). Also the two .xlsx readers alone: openpyxl
read-only streaming vs LandEval's fast sheet-XML reader.
"""
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))  # test/ for the workbook helpers

import common  # noqa: E402

YEAR = 2023


def _paths(workdir, size):
    return (os.path.join(workdir, "ent_{}.xlsx".format(size)), os.path.join(workdir, "parcels_{}.gpkg".format(size)))


def prepare(size, workdir, **_):
    """Workbook (shared strings, like Excel saves it) and parcels; cached between runs."""
    import openpyxl
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
    from test_data_fixtures import code, pcode, save_layer, square, to_shared_strings

    os.makedirs(workdir, exist_ok=True)
    xlsx, gpkg = _paths(workdir, size)
    n_parcels = size // 2
    if not os.path.exists(gpkg):
        layer = QgsVectorLayer("Polygon?crs=EPSG:4549&field=宗地代码:string(30)", "p", "memory")
        feats = []
        for i in range(n_parcels):
            f = QgsFeature(layer.fields())
            x, y = 500000 + (i % 250) * 120, 3300000 + (i // 250) * 120
            f.setGeometry(QgsGeometry.fromWkt(square(x, y, 60 + (i % 40))))
            f.setAttributes([pcode(i)])
            feats.append(f)
        layer.dataProvider().addFeatures(feats)
        save_layer(layer, gpkg)
    if not os.path.exists(xlsx):
        rnd = random.Random(7)
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("企业数据")
        ws.append(["XX区{}年工业企业亩均效益数据".format(YEAR)])
        ws.append(["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额(万元)", "工业总产值(万元)",
                   "营业收入(万元)", "工业增加值(万元)", "综合能耗(吨标准煤)", "用电量(万千瓦时)",
                   "主要污染物排放量(吨)", "年末从业人数(人)", "研发经费(万元)", "规上/规下"])
        for i in range(size):
            credit, name, parcel = code(i), "企业{:06d}有限公司".format(i), pcode(i % n_parcels)
            for y in (YEAR - 2, YEAR - 1, YEAR):
                ws.append([credit, name, parcel, y, round(rnd.random() * 500, 2), round(rnd.random() * 5000, 2),
                           round(rnd.random() * 6000, 2), round(rnd.random() * 1000, 2), round(rnd.random() * 800, 2),
                           round(rnd.random() * 300, 2), round(rnd.random() * 20, 3), rnd.randint(5, 500),
                           round(rnd.random() * 100, 2), "规上" if i % 3 else "规下"])
        tmp = xlsx + ".inline.xlsx"
        wb.save(tmp)
        to_shared_strings(tmp, xlsx)
        os.remove(tmp)
    return {"rows": size * 3, "parcels": n_parcels}


def landeval(size, workdir, **_):
    import processing

    xlsx, gpkg = _paths(workdir, size)
    out = os.path.join(workdir, "le_out_{}".format(size))  # one per size: a second size must not meet the first's
    shutil.rmtree(out, ignore_errors=True)                    # outputs (the report is never replaced silently)
    os.makedirs(out, exist_ok=True)
    res = processing.run("landeval:joinenterprises", {
        "INPUT": gpkg + "|layername=parcels", "TABLE": xlsx, "YEAR": YEAR,
        "OUTPUT": os.path.join(out, "parcels.gpkg"), "OUTPUT_ENTERPRISES": os.path.join(out, "ents.gpkg"),
        "REPORT": os.path.join(out, "report.xlsx")})
    return {"matched_rows": res["MATCHED_ROWS"], "parcels_without": res["PARCELS_WITHOUT"]}


def native(size, workdir, **_):
    import pandas
    import processing

    xlsx, gpkg = _paths(workdir, size)
    out = os.path.join(workdir, "nat_out")
    os.makedirs(out, exist_ok=True)
    df = pandas.read_excel(xlsx, sheet_name=0, header=1)
    df = df[df["年度"] == YEAR]
    csv_path = os.path.join(out, "year.csv")
    df.to_csv(csv_path, index=False)
    uri = "file://{}?delimiter=,&detectTypes=yes&geomType=none".format(csv_path)
    from qgis.core import QgsVectorLayer

    table = QgsVectorLayer(uri, "t", "delimitedtext")
    processing.run("native:joinattributestable", {
        "INPUT": gpkg + "|layername=parcels", "FIELD": "宗地代码", "INPUT_2": table, "FIELD_2": "宗地代码",
        "METHOD": 1, "OUTPUT": os.path.join(out, "joined.gpkg")})
    return {"rows": len(df)}


def read_openpyxl(size, workdir, **_):
    from landeval_plugin.core.enterprise.enterprise_table import read_table

    return {"rows": len(read_table(_paths(workdir, size)[0], engine="openpyxl").rows)}


def read_fast(size, workdir, **_):
    from landeval_plugin.core.enterprise.enterprise_table import read_table

    return {"rows": len(read_table(_paths(workdir, size)[0], engine="fast").rows)}


def _cpu(func):
    """Adds the case's own CPU seconds (user + system): wall time swings with other load on a
    shared machine, CPU time much less."""
    import resource

    def run(size, workdir, **extra):
        before = resource.getrusage(resource.RUSAGE_SELF)
        info = func(size, workdir, **extra) or {}
        after = resource.getrusage(resource.RUSAGE_SELF)
        info["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return info

    return run


CASES = {"prepare": prepare, "landeval": _cpu(landeval), "native": _cpu(native), "read_openpyxl": _cpu(read_openpyxl),
         "read_fast": _cpu(read_fast)}


def main(path, workdir, quick=False):
    size = 5000 if quick else 100000
    os.makedirs(workdir, exist_ok=True)
    prep = common.measure(path, "prepare", size, workdir)
    print("inputs: {} rows x {} parcels (prepared in {:.0f} s, cached)".format(
        prep.get("rows"), prep.get("parcels"), prep["seconds"]))
    le = common.measure(path, "landeval", size, workdir)
    nat = common.measure(path, "native", size, workdir)
    fast = common.measure(path, "read_fast", size, workdir)
    slow = common.measure(path, "read_openpyxl", size, workdir)
    common.report("data: {} enterprise rows x 3 years -> {} parcels".format(size, size // 2), [
        ("joinenterprises vs pandas+join", le, nat, "<= 30 s"),
        (".xlsx read: fast vs openpyxl", fast, slow, "-"),
    ])
    print("CPU seconds: joinenterprises {:.1f} vs pandas+join {:.1f}; fast reader {:.1f} vs openpyxl {:.1f}".format(
        le["cpu_s"], nat["cpu_s"], fast["cpu_s"], slow["cpu_s"]))
    print("LandEval rows used: {}, parcels without enterprises: {}".format(le.get("matched_rows"),
                                                                          le.get("parcels_without")))
