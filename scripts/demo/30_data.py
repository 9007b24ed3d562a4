"""Demo step 30: join the sample district's enterprise workbook to the base map
(landeval:joinenterprises, through the link table for rows keyed by credit code), then
export the 一地一表 forms (landeval:exportforms)."""
import os
import shutil

import demo_lib


def evaluation_year(workbook):
    """The latest year in the workbook (the sample district's evaluation year)."""
    from landeval_plugin.core.enterprise.enterprise_table import read_table

    years = sorted(y for y in read_table(workbook).years if y)
    if not years:
        raise SystemExit("demo 30: no year found in {}".format(workbook))
    return years[-1]


def run():
    base = demo_lib.out("base_map.gpkg")
    workbook = demo_lib.out("sample", "企业数据.xlsx")
    link = demo_lib.out("sample", "企业地块关联.xlsx")
    for path in (base, workbook):
        if not os.path.exists(path):
            raise SystemExit("demo 30: {} missing (run steps 10 and 20 first)".format(path))
    year = int(os.environ.get("LANDEVAL_YEAR") or evaluation_year(workbook))
    params = dict(INPUT=base + "|layername=base_map", TABLE=workbook, YEAR=year,
                  OUTPUT=demo_lib.out("parcels_data.gpkg"), OUTPUT_ENTERPRISES=demo_lib.out("enterprises.gpkg"),
                  REPORT=demo_lib.out("join_report.xlsx"), OVERWRITE=True)  # re-run into out/
    if os.path.exists(link):
        params["LINK"] = link
    res = demo_lib.qgis_process("landeval:joinenterprises", **params)
    print("  year {}: {} rows used, {} unmatched, {} duplicates, {} invalid credit codes, {} parcels without "
          "enterprises".format(year, res.get("MATCHED_ROWS"), res.get("UNMATCHED"), res.get("DUPLICATES"),
                               res.get("INVALID_CODES"), res.get("PARCELS_WITHOUT")))
    forms = demo_lib.out("forms", "x")[:-2]
    shutil.rmtree(forms, ignore_errors=True)  # demo output only: forms never overwrite files themselves
    res = demo_lib.qgis_process("landeval:exportforms", INPUT=demo_lib.out("parcels_data.gpkg"),
                                ENTERPRISES=demo_lib.out("enterprises.gpkg"), YEAR=year, OUTPUT_FOLDER=forms)
    print("  {} parcels in {} 一地一表 workbooks under out/forms/".format(res.get("PARCELS"),
                                                                          len(res.get("FILES") or [])))
