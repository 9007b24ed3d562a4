"""The demo's pipeline on a generated sample district, in one process: sample district → base map →
enterprise data → grading (Huangyan scores, Tonglu tags) → clusters → every disposal preset.

Used by test_rule_language.py to pin each disposal set's path per parcel, and runnable on its own
(``python test/sample_pipeline.py OUT.json``) to compare two versions of the engine on the same data.
"""
import os

PRESETS = ("beijing_etown_2023", "shanghai_four_batches", "songjiang_2023", "taicang_2023", "tonglu_2022")


def joined_sample(folder, run, parcels=600, seed=7):
    """Sample district → base map → enterprise data. Returns (the GeoPackage of parcels with their data,
    the sample district's GeoPackage with its other layers)."""
    from landeval_plugin.core.enterprise.enterprise_table import read_table

    res = run("landeval:sampledistrict", {"OUTPUT_FOLDER": os.path.join(folder, "sample"), "PARCELS": parcels,
                                          "SEED": seed})
    gpkg, shp = res["OUTPUT_GPKG"], res["OUTPUT_YDPW_SHP"]
    base = os.path.join(folder, "base_map.gpkg")
    run("landeval:buildbaselayer", {"SOURCES": [gpkg + "|layername=bdcdj", shp, gpkg + "|layername=tdlyxz"],
                                    "ROLES": "不动产登记,用地批文,土地利用现状", "OUTPUT": base,
                                    "QA_OUTPUT": os.path.join(folder, "qa.gpkg")})
    year = max(y for y in read_table(res["OUTPUT_ENTERPRISES"]).years if y)
    data = os.path.join(folder, "parcels_data.gpkg")
    run("landeval:joinenterprises", {"INPUT": base + "|layername=base_map", "TABLE": res["OUTPUT_ENTERPRISES"],
                                     "LINK": res["OUTPUT_LINK"], "YEAR": year, "OUTPUT": data,
                                     "OUTPUT_ENTERPRISES": os.path.join(folder, "enterprises.gpkg"),
                                     "REPORT": os.path.join(folder, "join_report.xlsx")})
    return data, gpkg


def run_pipeline(folder, run, parcels=600, seed=7):
    """``run(alg_id, params)`` -> results. Returns {"clusters": {code: cluster id}, preset: {code: path}}."""
    from qgis.core import QgsVectorLayer

    data, gpkg = joined_sample(folder, run, parcels, seed)
    scored = os.path.join(folder, "scored.gpkg")
    run("landeval:grade", {"INPUT": data, "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": scored})
    graded = os.path.join(folder, "graded.gpkg")
    run("landeval:grade", {"INPUT": scored, "STANDARD": "tonglu_2022", "YEAR": 2022, "OUTPUT": graded})
    clustered = os.path.join(folder, "clustered.gpkg")
    run("landeval:clusters", {"INPUT": graded, "FILTER": "\"grade\" IN ('C','D') OR \"low_eff\"", "GAP_M": 30,
                              "MIN_AREA_MU": 0, "MIN_PARCELS": 2, "OUTPUT": os.path.join(folder, "clusters.gpkg"),
                              "OUTPUT_PARCELS": clustered})
    layer = QgsVectorLayer(clustered, "c", "ogr")
    out = {"clusters": {f["parcel_code"]: _plain(f["cluster_id"]) for f in layer.getFeatures()}}
    for preset in PRESETS:
        target = os.path.join(folder, "disposal_{}.gpkg".format(preset))
        run("landeval:disposal", {"INPUT": clustered, "RULESET": preset, "SHARE": 0.5, "OUTPUT": target,
                                  "DEVELOPMENT_BOUNDARY": gpkg + "|layername=czkfbj",
                                  "INDUSTRIAL_LINE": gpkg + "|layername=gybzx"})
        layer = QgsVectorLayer(target, preset, "ogr")
        out[preset] = {f["parcel_code"]: (_plain(f["disposal"]), _plain(f["disposal_reason"]))
                       for f in layer.getFeatures()}
    return out


def _plain(v):
    return None if v is None or (hasattr(v, "isNull") and v.isNull()) else v


if __name__ == "__main__":
    import json
    import sys
    import tempfile

    from landeval_plugin.core import qgis_app

    qgis_app.start()
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    def _run(alg_id, params):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return processing.run(alg_id, params, feedback=QgsProcessingFeedback(), context=context)

    result = run_pipeline(tempfile.mkdtemp(prefix="landeval-pipeline-"), _run, *[int(a) for a in sys.argv[2:4]])
    with open(sys.argv[1], "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=0, sort_keys=True)
