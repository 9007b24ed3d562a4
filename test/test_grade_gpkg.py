"""The GeoPackage fast path of grading (core/grading/gpkg.py) gives exactly the feature path's
results (core/grading/grade.py grade_source) for every preset standard: every output field and
value of every parcel, the input's fields and geometries untouched, ranks within towns, missing
values, direct rules (vetoes), review fields carried forward, and odd table, field and text values
(quotes, SQL, %-formats: text is only ever a bound value, never SQL)."""
import datetime
import hashlib
import os
import sqlite3

import pytest

from landeval_plugin.core import values
from landeval_plugin.core.grading import gpkg, standard
from landeval_plugin.core.grading import grade as grading

NOW = datetime.datetime(2026, 11, 30, 12, 0, 0)
ODD_TABLE = 'parcels"; DROP TABLE gpkg_contents; -- 评估'
ODD_TOWN = 'to"wn 镇 %s'
ODD_NOTE = "note'); DELETE FROM \"parcels\"; --"
MISSING = {"tax_10k", "value_added_10k", "energy_tce", "scale", "employees", "emission_t", "revenue_10k",
           "tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission", "labour_productivity", "rnd_ratio",
           "output_per_ha", "tax_per_ha", "output_yi_per_ha", "town"}
VETO = {"shanghai_songjiang_2023": "一票否决：存在房屋安全隐患",
        "beijing_etown_2023": "产权人未经管委会同意擅自对外出租"}
HOSTILE = ["x'); DROP TABLE gpkg_contents; --", '"; DELETE FROM rtree; --', "%s %d %(x)s ?", "{0} {}", "镇'"]


@pytest.fixture(scope="module")
def landeval_provider_module(qgis_processing):
    from qgis.core import QgsApplication

    from landeval_plugin.processing.provider import LandEvalProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("landeval") is None:
        _PROVIDERS.append(LandEvalProvider())
        registry.addProvider(_PROVIDERS[-1])
    return registry.providerById("landeval")


_PROVIDERS = []


@pytest.fixture(scope="module")
def odd_sample(qgis_app, tmp_path_factory, landeval_provider_module):
    """The sample district's parcels with enterprise data (600), copied into a layer with an odd
    name, an odd GROUP_BY field and an odd text field holding SQL and format strings; some values
    missing, some parcels vetoed by a direct rule, some reviewed. Returns (path, table)."""
    import processing
    from osgeo import gdal
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject
    from sample_pipeline import joined_sample

    def run(alg_id, params):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return processing.run(alg_id, params, feedback=QgsProcessingFeedback(), context=context)

    folder = tmp_path_factory.mktemp("gpkg_grade")
    data = joined_sample(str(folder), run)[0]
    gdal.UseExceptions()
    src_table = gpkg.gpkg_tables(data)[0]
    out = str(folder / "odd.gpkg")
    qt = gpkg.quote_identifier
    gdal.VectorTranslate(out, data, format="GPKG", SQLStatement=(
        "SELECT *, town AS {}, CAST(NULL AS TEXT) AS {}, CAST(NULL AS TEXT) AS grade_final FROM {}".format(
            qt(ODD_TOWN), qt(ODD_NOTE), qt(src_table))), SQLDialect="SQLITE", layerName=ODD_TABLE)
    ds = gdal.OpenEx(out, gdal.OF_VECTOR | gdal.OF_UPDATE)
    layer = ds.GetLayerByName(ODD_TABLE)
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    layer.StartTransaction()
    for k, f in enumerate(layer):
        fid = f.GetFID()
        f.SetField(ODD_NOTE, HOSTILE[k % len(HOSTILE)])
        if k % 9 == 0:
            f.SetField(ODD_TOWN, HOSTILE[(k // 9) % len(HOSTILE)])  # towns named like SQL: ranked apart
        for j, name in enumerate(n for n in names if n in MISSING):
            if (fid + j) % 13 == 0:
                f.SetFieldNull(name)  # missing values: T, group averages or zero, as each standard says
        if fid % 17 == 0:  # direct rules (vetoes) decide these
            f.SetField("房屋安全隐患", "是")
            f.SetField("出租情况", "擅自出租-拒不改正")
        if fid % 23 == 0:
            f.SetField("grade_final", "B")  # a review carried forward
        layer.SetFeature(f)
    layer.CommitTransaction()
    ds = None
    return out, ODD_TABLE


def _sha(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _plain(v):
    return None if values.is_null(v) else v


def _written(path, table):
    """{fid: {field: value}} and {fid: geometry WKB} of a GeoPackage layer, read through QGIS."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("{}|layername={}".format(path, table), "out", "ogr")
    assert layer.isValid(), path
    names = layer.fields().names()
    attrs, geoms = {}, {}
    for f in layer.getFeatures():
        attrs[f.id()] = {n: _plain(v) for n, v in zip(names, f.attributes())}
        geoms[f.id()] = bytes(f.geometry().asWkb())
    return attrs, geoms


def _feature_path(path, table, std, group_by=None):
    """The feature path's output values, as its sink would write them: {fid: {field: value}}."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("{}|layername={}".format(path, table), "in", "ogr")
    assert layer.isValid()
    features, fields, results, _, _ = grading.grade_source(layer, std, group_by=group_by, now=NOW)
    names = fields.names()
    return ({f.id(): {n: _plain(v) for n, v in zip(names, f.attributes())} for f in features},
            {f.id(): bytes(f.geometry().asWkb()) for f in features}, results)


def _compare(path, table, std, tmp_path, group_by=None):
    before = _sha(path)
    expected, exp_geoms, exp_results = _feature_path(path, table, std, group_by)
    dest = str(tmp_path / "fast.gpkg")
    out = gpkg.grade_gpkg(path, table, dest, std, _crs(path, table), group_by=group_by, now=NOW)
    assert out is not None
    results = out[0]
    assert _sha(path) == before  # the input is only read
    assert not [p for p in os.listdir(tmp_path) if p != "fast.gpkg"]  # nothing staged is left behind
    # the engine's results, key by key (exact: no tolerance on scores)
    assert len(results) == len(exp_results)
    got, geoms = _written(dest, "fast")
    assert set(got) == set(expected)
    diffs = [(fid, k, e.get(k), got[fid].get(k)) for fid, e in sorted(expected.items()) for k in e
             if e.get(k) != got[fid].get(k) or type(e.get(k)) is not type(got[fid].get(k))]
    assert not diffs, diffs[:5]
    assert set(next(iter(got.values()))) == set(next(iter(expected.values())))  # the same fields
    assert geoms == exp_geoms
    return expected


def _crs(path, table):
    from qgis.core import QgsVectorLayer

    return QgsVectorLayer("{}|layername={}".format(path, table), "crs", "ogr").crs()


@pytest.mark.parametrize("std_id", standard.preset_ids())
def test_gpkg_fast_path_equals_the_feature_path(odd_sample, std_id, tmp_path):
    path, table = odd_sample
    std = standard.load(std_id)
    if not std.grades:  # a tags-only standard runs on graded parcels (Huangyan scores first)
        scored = str(tmp_path / "scored.gpkg")
        assert gpkg.grade_gpkg(path, table, scored, standard.load("zhejiang_huangyan_2022"), _crs(path, table),
                               now=NOW) is not None
        path, table = scored, "scored"
        work = tmp_path / "tags"
        work.mkdir()
    else:
        work = tmp_path
    expected = _compare(path, table, std, work)
    grades = [r["grade"] for r in expected.values()]
    assert len(set(grades) - {None}) >= 3  # a real spread of classes was compared, not all T
    hostile = {r[ODD_NOTE] for r in expected.values()}
    assert set(HOSTILE) <= hostile  # odd text came through as text
    if std.grades:
        assert any((r["grade_reason"] or "").endswith("→ T") for r in expected.values())  # missing values: T
    if std_id in VETO:  # the veto decided some parcels
        assert any((r["grade_reason"] or "").startswith(VETO[std_id]) and r["grade"] == "D"
                   for r in expected.values())


@pytest.mark.parametrize("std_id", ["zhejiang_huangyan_2022", "shanghai_songjiang_2023"])
def test_gpkg_fast_path_ranks_within_odd_towns_as_the_feature_path(odd_sample, std_id, tmp_path):
    path, table = odd_sample
    expected = _compare(path, table, standard.load(std_id), tmp_path, group_by=ODD_TOWN)
    reasons = [r["grade_reason"] or "" for r in expected.values()]
    # ranks within each town: a town named like SQL is a group like any other, named in the reason
    assert any("{}）；".format(HOSTILE[0]) in t for t in reasons), reasons[:3]
    ranks = [r["rank"] for r in expected.values() if r["rank"] is not None]
    assert ranks.count(1) > 1


def test_gpkg_fast_path_leaves_odd_tables_intact(odd_sample, tmp_path):
    """No text of the layer reached SQL: the output holds every table and row the input has."""
    path, table = odd_sample
    dest = str(tmp_path / "fast.gpkg")
    assert gpkg.grade_gpkg(path, table, dest, standard.load("zhejiang_huangyan_2022"), _crs(path, table),
                           group_by=ODD_TOWN, now=NOW) is not None
    con = sqlite3.connect(path)
    try:
        count = con.execute("SELECT count(*) FROM {}".format(gpkg.quote_identifier(table))).fetchone()[0]
    finally:
        con.close()
    assert count > 400
    con = sqlite3.connect(dest)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"gpkg_contents", "fast", "rtree_fast_geom"} <= tables
        assert con.execute("SELECT count(*) FROM fast").fetchone()[0] == count
        assert con.execute("SELECT count(*) FROM rtree_fast_geom").fetchone()[0] == count
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = {r[0] for r in con.execute('SELECT {} FROM fast'.format(gpkg.quote_identifier(ODD_NOTE)))}
        assert set(HOSTILE) <= notes
    finally:
        con.close()


def test_gpkg_fast_path_logs_why_it_grades_parcel_by_parcel(odd_sample, tmp_path):
    """A standard the column engine cannot grade (direct rules) is graded by the row engine, and
    the log says so with the reason, in Chinese; a standard it grades says nothing of the kind."""
    from feedback_log import recording_feedback

    path, table = odd_sample
    said = {}
    for std_id in ("shanghai_songjiang_2023", "zhejiang_huangyan_2022"):
        feedback = recording_feedback()
        assert gpkg.grade_gpkg(path, table, str(tmp_path / "{}.gpkg".format(std_id)), standard.load(std_id),
                               _crs(path, table), feedback=feedback, now=NOW) is not None
        said[std_id] = [line for line in feedback.lines if "not by columns" in line or "非按列" in line]
    assert len(said["shanghai_songjiang_2023"]) == 1
    assert ("direct rules" in said["shanghai_songjiang_2023"][0]
            or "直接判定规则" in said["shanghai_songjiang_2023"][0])
    assert said["zhejiang_huangyan_2022"] == []


_RUN_TIMES = {("gpkg_contents", "last_change"), ("layer_styles", "update_time")}
# QGIS writes a style's attributes in any order, and a new layer's symbol in a random colour
_XML = {("layer_styles", "styleQML"), ("layer_styles", "styleSLD")}


def _xml(text):
    import re
    import xml.etree.ElementTree as ET

    if not text:
        return text
    text = ET.canonicalize(text[text.index(">") + 1:] if text.startswith("<!DOCTYPE") else text)
    # a random colour (QGIS 3.28+ adds its rgb: form) and the symbol layers' ids (QGIS 3.30+) differ by run
    text = re.sub(r'"\d+,\d+,\d+,\d+(,[a-z]+:[^"]*)?"', '"colour"', text)
    return re.sub(r'\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}', '{id}', text)


def _everything(path):
    """Every schema entry (as a set: SQLite numbers them in the order they were made) and every row
    of every table in rowid order, each value with its SQLite type; the times of the run
    (gpkg_contents' last_change, the style's update_time) left out, the style's XML canonical."""
    con = sqlite3.connect(path)
    try:
        master = sorted(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"), key=repr)
        rows = {}
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND sql NOT LIKE 'CREATE VIRTUAL%'"):
            cur = con.execute("SELECT * FROM {}".format(gpkg.quote_identifier(name)))
            cols = [d[0] for d in cur.description]
            rows[name] = [tuple((type(v).__name__, "" if (name, c) in _RUN_TIMES else _xml(v) if (name, c) in _XML
                                 else v) for c, v in zip(cols, r)) for r in cur]
        return master, rows
    finally:
        con.close()


def _with_naming_tables(path, table, dest):
    """A copy of the GeoPackage ``path`` whose other GeoPackage tables name the layer ``table``: a
    QGIS style, a column description, layer metadata and a related-tables row (what GDAL renames)."""
    import shutil

    shutil.copy(path, dest)
    con = sqlite3.connect(dest)
    con.executescript("""
        CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT,
            description TEXT, mime_type TEXT, constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name,
            column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name));
        CREATE TABLE gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, md_scope TEXT NOT NULL
            DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml',
            metadata TEXT NOT NULL DEFAULT '');
        CREATE TABLE gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, column_name TEXT,
            row_id_value INTEGER, timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            md_file_id INTEGER NOT NULL, md_parent_id INTEGER);
        CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, f_table_catalog TEXT(256),
            f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30),
            styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
            update_time DATETIME);
        CREATE TABLE gpkgext_relations (id INTEGER PRIMARY KEY AUTOINCREMENT, base_table_name TEXT NOT NULL,
            base_primary_column TEXT NOT NULL DEFAULT 'id', related_table_name TEXT NOT NULL,
            related_primary_column TEXT NOT NULL DEFAULT 'id', relation_name TEXT NOT NULL,
            mapping_table_name TEXT NOT NULL UNIQUE);
    """)
    con.execute("INSERT INTO gpkg_data_columns VALUES (?, 'town', 'town', '镇', NULL, NULL, NULL)", (table,))
    con.execute("INSERT INTO gpkg_metadata VALUES (1, 'dataset', 'x', 'text/xml', '<m/>')")
    con.execute("INSERT INTO gpkg_metadata_reference (reference_scope, table_name, timestamp, md_file_id) "
                "VALUES ('table', ?, '2026-01-01T00:00:00Z', 1)", (table,))
    con.execute("INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, useAsDefault) "
                "VALUES (?, 'geom', 's', '<qgis/>', 1)", (table,))
    con.execute("INSERT INTO gpkgext_relations (base_table_name, related_table_name, relation_name, "
                "mapping_table_name) VALUES (?, ?, 'features', 'm')", (table, table))
    con.commit()
    con.close()
    return dest


@pytest.mark.parametrize("naming_tables", [False, True])
def test_gpkg_fast_path_renames_the_layer_as_gdal_does(odd_sample, naming_tables, tmp_path, monkeypatch):
    """The copy's layer renamed by SQLite (gpkg.rename_layer) ends up as GDAL's ALTER TABLE … RENAME
    TO leaves it: every table (the layer, its R-tree, gpkg_contents, gpkg_geometry_columns,
    gpkg_extensions, gpkg_ogr_contents, sqlite_sequence, and the style, column, metadata and
    relation tables naming the layer), every row with its SQLite type, every trigger (names and
    text) and every other schema entry; the layer's name is odd (quotes, SQL, Chinese)."""
    path, table = odd_sample
    if naming_tables:
        path = _with_naming_tables(path, table, str(tmp_path / "named.gpkg"))
    std = standard.load("zhejiang_huangyan_2022")
    by_sqlite, by_gdal = tmp_path / "sqlite", tmp_path / "gdal"
    by_sqlite.mkdir()
    by_gdal.mkdir()
    out = str(by_sqlite / "graded.gpkg")
    assert gpkg.grade_gpkg(path, table, out, std, _crs(path, table), group_by=ODD_TOWN, now=NOW) is not None
    with monkeypatch.context() as m:
        m.setattr(gpkg, "rename_layer", lambda con, old, new: "GDAL")  # the way before: GDAL renames it
        ref = str(by_gdal / "graded.gpkg")
        assert gpkg.grade_gpkg(path, table, ref, std, _crs(path, table), group_by=ODD_TOWN, now=NOW) is not None
    got, expected = _everything(out), _everything(ref)
    assert got[0] == expected[0]  # the schema: tables, indexes, triggers by name and text
    assert sorted(got[1]) == sorted(expected[1])
    for name in expected[1]:
        assert got[1][name] == expected[1][name], name
    assert len(got[1]["graded"]) > 400 and "rtree_graded_geom_node" in got[1]
    assert table not in got[1] and not any(table in r[1] for r in got[0])  # the old name is gone everywhere
    if naming_tables:
        assert got[1]["layer_styles"][0][3] == ("str", "graded")
    con = sqlite3.connect(out)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def test_gpkg_fast_path_leaves_an_unusual_trigger_to_gdal_and_says_so(odd_sample, tmp_path):
    """A feature-count trigger not as GDAL writes it: the layer is renamed by GDAL, the copy checked
    whole, the reason logged; the output's rows are those of the usual way."""
    import shutil

    from feedback_log import recording_feedback

    path, table = odd_sample
    odd = str(tmp_path / "odd_trigger.gpkg")
    shutil.copy(path, odd)
    con = sqlite3.connect(odd)
    name, sql = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                            "'trigger_insert_feature_count_%'").fetchone()
    con.execute("DROP TRIGGER {}".format(gpkg.quote_identifier(name)))
    quoted = "CREATE TRIGGER {} ".format(gpkg.quote_identifier(name))
    assert sql.startswith(quoted)
    con.execute("CREATE TRIGGER [{}] {}".format(name, sql[len(quoted):]))  # quoted otherwise than GDAL does
    con.commit()
    con.close()
    std = standard.load("zhejiang_huangyan_2022")
    feedback = recording_feedback()
    out = str(tmp_path / "a" / "graded.gpkg")
    assert gpkg.grade_gpkg(odd, table, out, std, _crs(odd, table), feedback=feedback, now=NOW) is not None
    said = [line for line in feedback.lines if "GDAL" in line]
    assert len(said) == 1 and name in said[0], feedback.lines
    usual = str(tmp_path / "b" / "graded.gpkg")
    assert gpkg.grade_gpkg(path, table, usual, std, _crs(path, table), now=NOW) is not None
    assert _everything(out)[1]["graded"] == _everything(usual)[1]["graded"]


def test_gpkg_fast_path_grades_a_layer_into_a_file_named_like_it_in_other_case(tmp_path, qgis_app):
    """A layer 'Parcels' graded into 'parcels.gpkg': SQLite and GDAL take both names for the same
    one and refused to rename (the run failed); now the copy's layer is renamed through a name of
    its own, and its rows are those of the same layer graded under another name."""
    from grade_fixtures import random_rows, write_layer

    src = str(tmp_path / "src.gpkg")
    write_layer(src, random_rows(120, seed=4), layer="Parcels")
    std = standard.load("zhejiang_huangyan_2022")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    same, other = str(tmp_path / "a" / "parcels.gpkg"), str(tmp_path / "b" / "other.gpkg")
    assert gpkg.grade_gpkg(src, "Parcels", same, std, _crs(src, "Parcels"), now=NOW) is not None
    assert gpkg.grade_gpkg(src, "Parcels", other, std, _crs(src, "Parcels"), now=NOW) is not None
    assert os.listdir(tmp_path / "a") == ["parcels.gpkg"]
    got, ref = _everything(same), _everything(other)
    assert got[1]["parcels"] == ref[1]["other"] and len(got[1]["parcels"]) == 120
    assert got[1]["rtree_parcels_geom_node"] == ref[1]["rtree_other_geom_node"]
    names = {r[1] for r in got[0]}
    assert "trigger_insert_feature_count_parcels" in names and "rtree_parcels_geom_insert" in names
    assert not [n for n in names if "renaming" in n or "Parcels" in n]
    assert [r[0][1] for r in got[1]["gpkg_contents"]] == ["parcels", "layer_styles"]
    assert got[1]["gpkg_ogr_contents"][0] == (("str", "parcels"), ("int", 120))
