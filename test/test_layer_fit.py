"""core.layer_fit: which layer a picker chooses, and what the start strip reports (no QGIS needed)."""
from landeval_plugin.core.layer_fit import LayerInfo, best_layer, planning_layer, project_status, source_layers

QA = LayerInfo("qa", "一张图质检", "polygon", ["kind", "source", "source_id", "parcel_code", "area_m2", "message"])
BASE = LayerInfo("base", "产业用地一张图", "polygon", ["parcel_code", "land_use", "area_m2"])
DATA = LayerInfo("data", "地块数据", "polygon", ["parcel_code", "enterprise_count", "output"])
GRADED = LayerInfo("graded", "分类评价", "polygon", ["parcel_code", "enterprise_count", "grade"])
CLUSTERED = LayerInfo("clustered", "连片地块", "polygon", ["parcel_code", "grade", "cluster_id"])
SOURCE = LayerInfo("bdcdj", "不动产登记", "polygon", ["宗地代码", "权利人名称"])
ROADS = LayerInfo("roads", "道路", "line", ["名称"])
CZKFBJ = LayerInfo("czkfbj", "城镇开发边界", "polygon", ["名称"])
GYBZX = LayerInfo("gybzx", "工业保障线 2023", "polygon", ["名称"])


def test_data_picker_skips_the_qa_layer_listed_first():
    assert best_layer("data", [QA, SOURCE, BASE]) == "base"


def test_data_picker_prefers_the_base_map_over_later_results():
    assert best_layer("data", [GRADED, DATA, BASE, QA]) == "base"


def test_grading_picker_takes_the_joined_data_not_the_base_map():
    assert best_layer("grading", [QA, BASE, DATA]) == "data"
    assert best_layer("grading", [QA, BASE]) == "base"


def test_clusters_picker_takes_the_graded_layer():
    assert best_layer("clusters", [QA, DATA, CLUSTERED, GRADED]) == "graded"
    assert best_layer("clusters", [QA, BASE, DATA]) is None


def test_newest_layer_wins_among_equals():
    newer = LayerInfo("graded2", "分类评价 2", "polygon", ["parcel_code", "grade"])
    assert best_layer("clusters", [newer, GRADED]) == "graded2"


def test_dossiers_picker_prefers_the_most_complete_result():
    assert best_layer("dossiers", [BASE, GRADED, CLUSTERED]) == "clustered"


def test_no_fitting_layer_gives_none():
    assert best_layer("data", [QA, SOURCE, ROADS]) is None


def test_planning_layers_by_name_and_only_polygons():
    assert planning_layer("development_boundary", [ROADS, CZKFBJ]) == "czkfbj"
    assert planning_layer("industrial_line", [GYBZX]) == "gybzx"
    line = LayerInfo("l", "工业保障线", "line", [])
    assert planning_layer("industrial_line", [line]) is None


def test_sources_exclude_outputs_planning_and_lines():
    assert source_layers([QA, BASE, SOURCE, ROADS, CZKFBJ, GRADED]) == ["bdcdj"]


def test_project_status_of_an_empty_and_a_full_project():
    empty = project_status([])
    assert empty == {"sources": [], "base_map": None, "workbook": "", "graded": None,
                     "development_boundary": None, "industrial_line": None}
    full = project_status([QA, BASE, GRADED, SOURCE, CZKFBJ, GYBZX], workbook="/tmp/企业.xlsx")
    assert full == {"sources": ["bdcdj"], "base_map": "base", "workbook": "/tmp/企业.xlsx", "graded": "graded",
                    "development_boundary": "czkfbj", "industrial_line": "gybzx"}
