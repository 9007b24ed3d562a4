"""Demo step 80: 研判会 (review meeting) documents of the sample district.

On out/disposal.gpkg (classes, low-efficiency tags, renovation areas and disposal paths):
- landeval:statistics -> out/meeting/统计.xlsx (class × town, tags, paths, renovation areas, years),
  out/meeting/统计_类别×镇街.png (stacked bars, 亩), out/meeting/统计.csv (the same tables, long form)
- landeval:exportmap  -> out/meeting/分类图_A3.pdf and .png (classes, A3 landscape, renovation areas outlined)
- landeval:lists      -> out/meeting/<list>.xlsx and .pdf: the A-class list, the 重点服务 list and the
  low-efficiency list
"""
import json
import os

import demo_lib

LISTS = (("优质工业用地产权人名单", 0), ("重点服务企业名单", 1), ("低效工业用地清单", 2))


def run():
    parcels = demo_lib.out("disposal.gpkg")
    clusters = demo_lib.out("clusters.gpkg")
    if not os.path.exists(parcels):
        raise SystemExit("demo 80: {} is missing (step 60 writes it)".format(parcels))
    res = demo_lib.qgis_process(
        "landeval:statistics", INPUT=parcels, TITLE="样例区 产业用地研判会",
        OUTPUT_XLSX=demo_lib.out("meeting", "统计.xlsx"), OUTPUT_CHART=demo_lib.out("meeting", "统计_类别×镇街.png"),
        OUTPUT=demo_lib.out("meeting", "统计.csv"), OVERWRITE=True)
    for title, info in json.loads(res.get("SUMMARY") or "{}").items():
        extra = "" if info.get("count") is None else ", {} parcels, {:,.1f} 亩".format(info["count"], info["mu"])
        print("  {}: {} rows{}".format(title, info["rows"], extra))
    res = demo_lib.qgis_process(
        "landeval:exportmap", INPUT=parcels, KIND=0, PRESET=1, TITLE="样例区产业用地综合绩效评价分类图（研判会）",
        SUBTITLE="黄岩 2022 评分 + 桐庐 2022 低效认定",
        OUTLINES=clusters if os.path.exists(clusters) else [],
        OUTPUT_PDF=demo_lib.out("meeting", "分类图_A3.pdf"), OUTPUT_PNG=demo_lib.out("meeting", "分类图_A3.png"),
        OVERWRITE=True)
    print("  map legend: " + "; ".join(e["label"] for e in json.loads(res.get("LEGEND") or "[]")))
    for name, kind in LISTS:
        res = demo_lib.qgis_process(
            "landeval:lists", INPUT=parcels, KIND=kind, TITLE="样例区",
            OUTPUT_XLSX=demo_lib.out("meeting", name + ".xlsx"), OUTPUT_PDF=demo_lib.out("meeting", name + ".pdf"),
            OVERWRITE=True)
        print("  {}: {} parcels".format(name, res.get("COUNT")))


if __name__ == "__main__":
    run()
