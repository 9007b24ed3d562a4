"""The sheet's 年度 is the year the parcels were graded for, not the year the grading ran:
a 2023 evaluation run in 2026 must print 2023年度 (before, it printed 2025年度)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grade_fixtures import random_rows, write_layer


def _sheet_year(path):
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.dossiers.sheet_data import SheetData

    layer = QgsVectorLayer(path, "graded", "ogr")
    assert layer.isValid(), path
    data = SheetData(layer.getFeatures(), layer.fields(), layer.crs())
    return data.year, data


def test_graded_layer_records_its_evaluation_year_on_both_paths(tmp_path, run_alg):
    rows = random_rows(40, seed=5)
    src = write_layer(str(tmp_path / "in.gpkg"), rows)
    fast = str(tmp_path / "fast.gpkg")
    run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "tonglu_2022", "YEAR": 2023, "OUTPUT": fast})
    mem = write_layer(None, rows)
    slow = str(tmp_path / "slow.gpkg")
    run_alg("landeval:grade", {"INPUT": mem, "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2021, "OUTPUT": slow})
    from qgis.core import QgsVectorLayer

    for path, year in ((fast, 2023), (slow, 2021)):
        layer = QgsVectorLayer(path, "out", "ogr")
        values = {f["eval_year"] for f in layer.getFeatures()}
        assert values == {year}, (path, values)


def test_sheet_year_is_the_evaluation_year_not_the_time_of_grading(tmp_path, run_alg):
    rows = random_rows(12, seed=9)
    src = write_layer(str(tmp_path / "in.gpkg"), rows)
    out = str(tmp_path / "graded.gpkg")
    run_alg("landeval:grade",
            {"INPUT": src.source(), "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2022, "OUTPUT": out})
    year, data = _sheet_year(out)
    assert year == 2022
    assert data.sheets[0].display["d_title"] == "2022年度产业用地综合绩效评估体检表"
