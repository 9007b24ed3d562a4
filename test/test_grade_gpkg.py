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
