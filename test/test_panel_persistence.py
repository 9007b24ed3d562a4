"""Nothing made in the panel lives only in memory (issue 11, point 8).

core/workspace.py decides where results go (the project's LandEval GeoPackage, a fresh layer
name per result and run); the pages write there through ``ogr:dbname=… table=…`` destinations.
The page test drives 数据 → 分类评价 (all, then a selection) → 连片 (twice) → 处置 in QGIS,
saves the project, clears it, reads it again and counts every result's features.
"""
import datetime
import hashlib
import os
import re
import sqlite3
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import random_rows, write_layer
from test_data_fixtures import code, workbook

from landeval_plugin.core import workspace

NOW = datetime.datetime(2026, 11, 30, 8, 15, 2)


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def tables(gpkg):
    con = sqlite3.connect(gpkg)
    try:
        # (QGIS's style table, layer_styles, holds the outputs' default styles: not a layer)
        return sorted(r[0] for r in con.execute(
            "SELECT table_name FROM gpkg_contents WHERE table_name != 'layer_styles'"))
    finally:
        con.close()


def wait(pred, timeout=120):
    from qgis.core import QgsApplication

    end = time.time() + timeout
    while time.time() < end:
        QgsApplication.processEvents()
        if pred():
            QgsApplication.processEvents()
            return True
        time.sleep(0.02)
    return False


# ---- the helper ------------------------------------------------------------------------------
def _save(params):
    """Copy a layer into a Processing destination through an ordinary feature sink. Not
    native:savefeatures: from QGIS 3.40 it writes the OUTPUT string as a file path itself (driver
    from the extension) and refuses an ogr:dbname='…' table="…" destination."""
    import processing

    return processing.run("native:extractbyexpression", dict(params, EXPRESSION="true"))


def test_the_geopackage_sits_beside_the_project(tmp_path):
    assert workspace.gpkg_for_project("/data/桐庐/产业用地2026.qgz") == "/data/桐庐/产业用地2026_landeval.gpkg"
    assert workspace.gpkg_for_project("/data/p.qgs", "/elsewhere") == "/data/p_landeval.gpkg"
    # not saved yet: the remembered folder, else ~/LandEval
    assert workspace.gpkg_for_project("", str(tmp_path / "out")) == str(tmp_path / "out" / "untitled_landeval.gpkg")
    assert workspace.gpkg_for_project(None, None, home="/home/planner") == \
        "/home/planner/LandEval/untitled_landeval.gpkg"


def test_layer_names_are_unique_per_run(tmp_path):
    gpkg = str(tmp_path / "w.gpkg")
    first = workspace.new_layer_names(gpkg, ["clusters", "clustered_parcels"], NOW)
    assert first == ["clusters_20261130_081502", "clustered_parcels_20261130_081502"]
    # the same second again (another run, or another page): a suffix on every kind of the run
    assert workspace.new_layer_names(gpkg, ["clusters", "clustered_parcels"], NOW) == [
        "clusters_20261130_081502_2", "clustered_parcels_20261130_081502_2"]
    assert workspace.new_layer_name(gpkg, "grade", NOW) == "grade_20261130_081502"
    with pytest.raises(ValueError):
        workspace.new_layer_name(gpkg, "Grade; DROP", NOW)


def test_a_name_already_in_the_geopackage_is_never_reused(tmp_path, qgis_processing, landeval_provider):
    from qgis.core import QgsVectorLayer

    gpkg = str(tmp_path / "w.gpkg")
    later = NOW + datetime.timedelta(hours=1)
    layer = QgsVectorLayer("Point?crs=EPSG:4549&field=a:integer", "p", "memory")
    # a table written by an earlier QGIS session (upper case: SQLite table names fold case)
    _save({"INPUT": layer, "OUTPUT": workspace.destination(gpkg, "GRADE_20261130_091502")})
    assert workspace.existing_tables(gpkg) == ["GRADE_20261130_091502"]
    assert workspace.new_layer_name(gpkg, "grade", later) == "grade_20261130_091502_2"


def test_destination_round_trips_awkward_paths(tmp_path):
    from qgis.core import QgsDataSourceUri

    for name in ("成果 2026.gpkg", "O'Brien's\\dir.gpkg", 'quote " and space.gpkg'):
        path = str(tmp_path / name)
        dest = workspace.destination(path, "grade_20261130_081502")
        assert dest.startswith("ogr:")
        uri = QgsDataSourceUri(dest[len("ogr:"):])
        assert uri.database() == path and uri.table() == "grade_20261130_081502"
    assert workspace.layer_uri("/a/b.gpkg", "t_1") == "/a/b.gpkg|layername=t_1"
    with pytest.raises(ValueError):
        workspace.destination("/a/b.gpkg", 'x" --')


def test_writing_new_layers_keeps_every_other_layer(tmp_path, qgis_processing, landeval_provider):
    from qgis.core import QgsVectorLayer

    gpkg = str(tmp_path / "成果.gpkg")
    points = QgsVectorLayer("Point?crs=EPSG:4549&field=a:integer", "p", "memory")
    points.dataProvider().addFeatures([_point(points, i) for i in range(3)])
    table = QgsVectorLayer("None?field=b:string", "t", "memory")  # an attribute table, as the enterprises
    table.dataProvider().addFeatures([_row(table, "甲"), _row(table, "乙")])
    one, two = workspace.new_layer_names(gpkg, ["parcels_data", "enterprises"], NOW)
    _save({"INPUT": points, "OUTPUT": workspace.destination(gpkg, one)})
    _save({"INPUT": table, "OUTPUT": workspace.destination(gpkg, two)})
    three = workspace.new_layer_name(gpkg, "parcels_data", NOW)
    _save({"INPUT": points, "OUTPUT": workspace.destination(gpkg, three)})
    copied = workspace.copy_layer(workspace.layer_uri(gpkg, one), gpkg, workspace.new_layer_name(gpkg, "base_map", NOW))
    assert tables(gpkg) == sorted([one, two, three, "base_map_20261130_081502"])
    counts = {t: QgsVectorLayer(workspace.layer_uri(gpkg, t), t, "ogr").featureCount() for t in tables(gpkg)}
    assert counts == {one: 3, two: 2, three: 3, "base_map_20261130_081502": 3}
    assert QgsVectorLayer(copied, "c", "ogr").featureCount() == 3


def test_prepare_names_what_is_wrong(tmp_path):
    with pytest.raises(workspace.WorkspaceError, match="results.xlsx"):
        workspace.prepare(str(tmp_path / "results.xlsx"))
    fake = tmp_path / "not really.gpkg"
    fake.write_text("a workbook renamed by mistake", encoding="utf-8")
    with pytest.raises(workspace.WorkspaceError, match="not really.gpkg"):
        workspace.prepare(str(fake))
    assert fake.read_text(encoding="utf-8") == "a workbook renamed by mistake"
    nested = tmp_path / "新建" / "区县" / "p_landeval.gpkg"
    assert workspace.prepare(str(nested)) == str(nested)
    assert nested.parent.is_dir() and not nested.exists()  # the first layer written creates it


def _point(layer, i):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    f = QgsFeature(layer.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(500000 + i, 3300000)))
    f.setAttributes([i])
    return f


def _row(layer, text):
    from qgis.core import QgsFeature

    f = QgsFeature(layer.fields())
    f.setAttributes([text])
    return f


# ---- the pages in QGIS -------------------------------------------------------------------------
def _district(tmp_path):
    """Graded-ready parcels in a source GeoPackage (400 m squares touching their grid neighbours)
    and an enterprise workbook for some of them."""
    rows = random_rows(36, seed=11)
    for row in rows:
        row["area_m2"] = 160000.0
    src = str(tmp_path / "source" / "parcels.gpkg")
    os.makedirs(os.path.dirname(src))
    layer = write_layer(src, rows)
    layer.setName("宗地")
    book_rows = [["企业数据"], ["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收（万元）"]]
    for i, row in enumerate(rows[:12]):
        book_rows.append([code(i + 1), "企业{}".format(i + 1), row["parcel_code"], 2023, 50 + i])
    book = workbook(str(tmp_path / "source" / "企业数据.xlsx"), book_rows)
    return layer, book, len(rows)


def test_page_results_come_back_whole_after_reopening_the_project(tmp_path, qgis_iface, qgis_new_project,
                                                                  landeval_provider):
    import processing
    from qgis.core import QgsProject, QgsVectorLayer

    from landeval_plugin.gui.pages import clusters as clusters_page
    from landeval_plugin.gui.pages import data as data_page
    from landeval_plugin.gui.pages import grading as grading_page

    project = QgsProject.instance()
    parcels, book, n = _district(tmp_path)
    inputs = {p: sha256(p) for p in (parcels.source().split("|")[0], book)}
    project.addMapLayer(parcels)
    project_file = str(tmp_path / "区县" / "产业用地评估.qgz")
    os.makedirs(os.path.dirname(project_file))
    assert project.write(project_file)
    gpkg = str(tmp_path / "区县" / "产业用地评估_landeval.gpkg")

    data = data_page.Page(qgis_iface)
    grading = grading_page.Page(qgis_iface)
    clusters = clusters_page.Page(qgis_iface)
    pages = (data, grading, clusters)
    try:
        # the 数据 and 连片 pages show where results go: the project's GeoPackage, no temporary layer
        for page in (data, clusters, grading):
            assert page.output.filePath() == "" and page.output.gpkg() == gpkg
            assert page.output.label.toolTip() == gpkg
            assert page.output.open_folder() == os.path.dirname(gpkg)

        # 数据: parcels with data + the enterprises table
        data.layer.setLayer(parcels)
        data.workbook.setFilePath(book)
        data._workbook_changed(book)
        assert data.report.filePath() == os.path.splitext(book)[0] + data_page.tr("_join report") + ".xlsx"
        data.report.setFilePath("")  # no report chosen: beside the output GeoPackage, never a temporary file
        data.year.setValue(2023)
        data.run()
        assert wait(lambda: data.task is None), "the join did not finish"
        joined = data.last_results["OUTPUT_LAYER"]
        enterprises = data.last_results["OUTPUT_ENTERPRISES_LAYER"]
        assert data.last_results["MATCHED_ROWS"] == 12
        assert joined.featureCount() == n and enterprises.featureCount() == 12
        assert os.path.exists(data.last_results["REPORT"]) and \
            os.path.dirname(data.last_results["REPORT"]) == os.path.dirname(gpkg)
        assert gpkg in data.summary.text().replace("\u200b", "")  # break opportunities in the shown path

        # 分类评价: the whole layer, then a selection (one more layer, the first one kept)
        grading.std_combo.setCurrentIndex(grading.std_combo.findData("zhejiang_huangyan_2022"))
        grading.layer.setLayer(joined)
        grading._run(False)
        assert wait(lambda: grading.task is None), "grading did not finish"
        graded = grading.layer.currentLayer()
        assert graded is not joined and "grade" in graded.fields().names() and graded.featureCount() == n
        assert graded.name().startswith("Grading · ") or graded.name().startswith("分类评价 · ")
        graded.selectByIds(sorted(f.id() for f in graded.getFeatures())[:7])
        grading._run(True)
        assert wait(lambda: grading.task is None), "grading the selection did not finish"
        selection = grading.layer.currentLayer()
        assert selection is not graded and selection.featureCount() == 7
        assert graded.id() in project.mapLayers()

        # 连片 twice on the whole graded layer: the second run adds, the first stays
        clusters.layer_combo.setLayer(graded)
        # few parcels have every value the standard reads: the not-graded (T) ones make the clusters here
        assert {f["grade"] for f in graded.getFeatures()} == {"T"}
        clusters.by_grade.setChecked(True)
        for grade, box in clusters.grade_boxes.items():
            box.setChecked(grade == "T")
        clusters.low_eff_box.setChecked(False)
        clusters.min_parcels.setValue(2)
        clusters.min_area.setValue(0)
        clusters.gap.setValue(30)
        clusters.run()
        assert wait(lambda: clusters.task is None), "the cluster search did not finish"
        first_clusters = clusters.cluster_layer
        assert first_clusters.featureCount() > 0
        clusters.gap.setValue(0)
        clusters.run()
        assert wait(lambda: clusters.task is None), "the second cluster search did not finish"
        second_clusters = clusters.cluster_layer
        assert second_clusters is not first_clusters and first_clusters.id() in project.mapLayers()
        assert not project.layerTreeRoot().findLayer(first_clusters.id()).isVisible()
        clustered = clusters.disposal_input()  # the parcels with cluster ids join the project

        # 处置: the button's dialog starts with a new layer of the GeoPackage as its output; run it as
        # the dialog does (results loaded into the project)
        params = clusters.disposal_parameters()
        params["OUTPUT"] = clusters.disposal_destination()
        assert params["OUTPUT"].startswith("ogr:dbname=") and gpkg in params["OUTPUT"]
        params["DEVELOPMENT_BOUNDARY"] = _everything(graded)
        params["INDUSTRIAL_LINE"] = _everything(graded)
        results = processing.runAndLoadResults("landeval:disposal", params)
        disposal = [layer for layer in project.mapLayers().values()
                    if layer.source() == results["OUTPUT"]]
        assert len(disposal) == 1 and disposal[0].featureCount() == n

        made = [joined, enterprises, graded, selection, first_clusters, second_clusters, clustered, disposal[0]]
        before = {layer.id(): (layer.name(), layer.featureCount()) for layer in made}
        assert len(set(layer.source() for layer in made)) == len(made)
        for layer in made:
            assert layer.providerType() == "ogr" and layer.source().startswith(gpkg + "|layername="), layer.source()
        expected_tables = sorted(layer.source().split("layername=")[1] for layer in made)
        # the first cluster run's parcels with cluster ids are kept in the file too (the project loads
        # the latest run's for the disposal step)
        (first_parcels,) = set(tables(gpkg)) - set(expected_tables)
        assert first_parcels.startswith("clustered_parcels_") and first_parcels < clustered.source().split("=")[-1]
        assert QgsVectorLayer(workspace.layer_uri(gpkg, first_parcels), "p", "ogr").featureCount() == n
        kinds = sorted(re.sub(r"_\d{8}_\d{6}(_\d+)?$", "", t) for t in expected_tables)
        assert kinds == ["clustered_parcels", "clusters", "clusters", "disposal", "enterprises", "grade", "grade",
                         "parcels_data"]
        assert project.write()
    finally:
        for page in pages:
            page.unload()

    # close and reopen: every result is valid, file-backed and whole
    project.clear()
    assert project.mapLayers() == {}
    assert project.read(project_file)
    for layer_id, (name, count) in before.items():
        layer = project.mapLayer(layer_id)
        assert layer is not None, name
        assert layer.isValid() and layer.providerType() == "ogr", name
        assert layer.source().startswith(gpkg + "|layername="), layer.source()
        assert layer.name() == name and layer.featureCount() == count, name
    # a table read back as the project stores it: the graded selection keeps its 7 parcels
    sel_table = [t for t in tables(gpkg) if t.startswith("grade_")][1]
    assert QgsVectorLayer(workspace.layer_uri(gpkg, sel_table), "s", "ogr").featureCount() == 7
    assert {p: sha256(p) for p in inputs} == inputs  # the planner's files are only read


def _everything(layer):
    """A memory polygon covering the layer (development boundary / industrial line for disposal)."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    cover = QgsVectorLayer("Polygon?crs={}".format(layer.crs().authid()), "cover", "memory")
    extent = layer.extent()
    extent.grow(10)
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromRect(extent))
    cover.dataProvider().addFeatures([f])
    return cover


def test_an_unsaved_project_keeps_results_in_the_remembered_folder(tmp_path, qgis_iface, qgis_new_project,
                                                                  landeval_provider, landeval_output_dir):
    from qgis.core import QgsProject, QgsSettings

    from landeval_plugin.gui.pages import grading as grading_page

    layer = write_layer(str(tmp_path / "p.gpkg"), random_rows(20, seed=3))
    QgsProject.instance().addMapLayer(layer)
    # (another page test may have chosen a file while its project was unsaved: that folder is remembered)
    QgsSettings().setValue("landeval/output_dir", landeval_output_dir)
    page = grading_page.Page(qgis_iface)
    try:
        expected = os.path.join(landeval_output_dir, "untitled_landeval.gpkg")
        assert page.output.gpkg() == expected
        assert "not saved" in page.output.label.text() or "尚未保存" in page.output.label.text()
        before = set(workspace.existing_tables(expected))
        page.std_combo.setCurrentIndex(page.std_combo.findData("zhejiang_huangyan_2022"))
        page.layer.setLayer(layer)
        page._run(False)
        assert wait(lambda: page.task is None), "grading did not finish"
        graded = page.layer.currentLayer()
        assert graded.source().startswith(expected + "|layername=grade_")
        assert set(workspace.existing_tables(expected)) - before == {graded.source().split("layername=")[1]}
        # a GeoPackage chosen on the page is remembered in the project (and its folder for unsaved projects)
        chosen = str(tmp_path / "我的成果.gpkg")
        page.output.setFilePath(chosen)
        assert QgsProject.instance().readEntry("landeval", "grading/output", "")[0] == chosen
        assert QgsSettings().value("landeval/output_dir") == str(tmp_path)
        again = grading_page.Page(qgis_iface)
        assert again.output.gpkg() == chosen
        again.unload()
    finally:
        QgsSettings().setValue("landeval/output_dir", landeval_output_dir)
        page.unload()


def test_base_map_without_a_chosen_file_goes_to_the_projects_geopackage(tmp_path, qgis_iface, landeval_provider):
    from qgis.core import QgsProject
    from test_basemap_core import known_sources

    from landeval_plugin.gui.pages.basemap import GROUP_NAME, Page

    project = QgsProject.instance()
    project.clear()
    sources = known_sources()
    project.addMapLayers(list(sources))
    project_file = str(tmp_path / "一张图项目.qgz")
    assert project.write(project_file)
    gpkg = str(tmp_path / "一张图项目_landeval.gpkg")
    page = Page(qgis_iface, None)
    try:
        for layer in sources:
            page.add_layer(layer)
        page.output_widget.setFilePath("")  # nothing chosen (QgsSettings may remember another test's file)
        assert page.output_path() == gpkg and page.output_note.toolTip() == gpkg
        assert page.parameters()["OUTPUT"] == "TEMPORARY_OUTPUT"  # staged, then kept in the GeoPackage
        for _ in range(2):
            page.run()
            assert wait(lambda: page.task is None), "the base map was not built"
        assert [re.sub(r"_\d{8}_\d{6}(_\d+)?$", "", t) for t in tables(gpkg)] == [
            "base_map", "base_map", "base_map_qa", "base_map_qa"]
        group = project.layerTreeRoot().findGroup(GROUP_NAME)
        base, qa = [node.layer() for node in group.findLayers()]  # the latest run's, on the map
        assert base.source() == workspace.layer_uri(gpkg, sorted(tables(gpkg))[1])
        assert base.featureCount() == 7 and base.renderer().classAttribute() == "land_use"
        assert qa.source().startswith(gpkg + "|layername=base_map_qa_")
        before = {layer.id(): (layer.name(), layer.featureCount()) for layer in (base, qa)}
        assert project.write()
    finally:
        page.unload()
    project.clear()
    assert project.read(project_file)
    for layer_id, (name, count) in before.items():
        layer = project.mapLayer(layer_id)
        assert layer is not None and layer.isValid() and layer.providerType() == "ogr", name
        assert layer.name() == name and layer.featureCount() == count
    first = workspace.layer_uri(gpkg, sorted(tables(gpkg))[0])
    from qgis.core import QgsVectorLayer

    assert QgsVectorLayer(first, "first run", "ogr").featureCount() == 7  # the earlier run is kept in the file
    project.clear()


def test_real_qgis_pages_and_the_disposal_dialog_come_back_after_reopening(tmp_path):
    """The same in the QGIS desktop (zh-Hans, 1366×768 under Xvfb): the dock's pages on a generated
    sample district, the 处置 button's Processing dialog run as a planner runs it, the project
    written, cleared and read again (test/panel_persistence_qgis.py)."""
    import json
    import shutil

    from test_smoke_qgis import BUILD, _env, _profile, _run_in_group

    for tool in ("qgis", "xvfb-run"):
        assert shutil.which(tool), tool + " not installed (scripts/setup.sh installs it)"
    assert os.path.exists(os.path.join(BUILD, "landeval_plugin", "metadata.txt")), "run `make build` first"
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "result.json"
    script = os.path.join(os.path.dirname(__file__), "panel_persistence_qgis.py")
    output = _run_in_group(
        ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "qgis", "--nologo", "--noversioncheck",
         "--profiles-path", _profile(tmp_path, "zh-Hans"), "--code", script],
        env=_env(LANDEVAL_WORK=str(work), LANDEVAL_RESULT=str(out)), timeout=400)
    assert out.exists(), "QGIS did not run the script:\n" + output[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, result.get("error")
    assert result["steps"] == ["project", "data", "grading", "clusters", "disposal", "reopened"]
    gpkg = result["gpkg"]
    assert gpkg == str(work / "区县项目" / "桐庐产业用地_landeval.gpkg")
    for page in ("data", "clusters"):  # the page says where, in Chinese
        assert result["labels"][page].replace("\u200b", "") == "成果将作为新图层保存到 " + gpkg
    # the 处置 dialog starts with a new layer of the GeoPackage and the result is loaded from it
    assert result["dialog"]["output_before_run"].startswith("ogr:dbname='{}' table=\"disposal_".format(gpkg))
    assert len(result["disposal"]) == 1 and result["disposal"][0].startswith(gpkg + "|layername=disposal_")
    before, after = result["before"], result["after"]
    kinds = sorted(re.sub(r"_\d{8}_\d{6}(_\d+)?$", "", v[1].split("layername=")[1]) for v in before.values())
    assert kinds == ["clustered_parcels", "clusters", "disposal", "enterprises", "grade", "grade", "parcels_data"]
    assert result["cleared"] == 0
    for layer_id, (name, source, provider, count) in before.items():
        assert provider == "ogr" and source.startswith(gpkg + "|layername=")
        assert count > 0, name
        assert after[layer_id] == [name, source, "ogr", count], name
        assert result["feature_counts_after"][layer_id] == count, name
    assert result["grades"] == ["A", "B", "C", "D", "T"]
    assert sorted(os.path.basename(p) for p in result["shots"]) == ["clusters_page.png", "data_page.png"]
