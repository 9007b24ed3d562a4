"""The PostGIS grading and clusters paths (core/grading/postgis.py, core/clusters/postgis.py) give
exactly the feature path's results on the sample district, for every preset standard; what the SQL
does not translate falls back with the reason named, never a silent difference."""
import os
import uuid

import pytest
from store_support import PG, admin_connection, need_pg

from landeval_plugin.core.grading import grade as grading
from landeval_plugin.core.grading import postgis as pg_grading
from landeval_plugin.core.grading import standard

COMPARED = ("grade", "score", "rank", "grade_reason", "score_detail", "low_eff", "low_eff_tags", "standard",
            "eval_year", "graded_at")
NOW = __import__("datetime").datetime(2026, 11, 30, 12, 0, 0)


@pytest.fixture(scope="module")
def sample_data(qgis_app, tmp_path_factory, landeval_provider_module):
    """The sample district's parcels with enterprise data (600 parcels), as a GeoPackage layer."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject
    from sample_pipeline import joined_sample

    def run(alg_id, params):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return processing.run(alg_id, params, feedback=QgsProcessingFeedback(), context=context)

    return joined_sample(str(tmp_path_factory.mktemp("pg_grade")), run)[0]


@pytest.fixture(scope="module")
def landeval_provider_module(qgis_processing):
    from qgis.core import QgsApplication

    from landeval_plugin.processing.provider import LandEvalProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("landeval")
    if provider is None:
        provider = LandEvalProvider()
        _PROVIDERS.append(provider)
        registry.addProvider(provider)
    return provider


_PROVIDERS = []


@pytest.fixture(scope="module")
def pg_sample(sample_data, pg_schema):
    """The sample district's parcels in PostGIS: (connection, schema) with table "parcels"."""
    load_into_pg(sample_data, pg_schema[1], "parcels", "parcels_data")
    return pg_schema


@pytest.fixture(scope="module")
def pg_schema():
    need_pg()
    name = "le_pgscale_" + uuid.uuid4().hex[:8]
    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute('CREATE SCHEMA "{}"'.format(name))
    conn.autocommit = False
    yield conn, name
    conn.rollback()
    conn.autocommit = True
    with conn.cursor() as cur:
        if not os.environ.get("LANDEVAL_KEEP_SCHEMA"):
            cur.execute('DROP SCHEMA "{}" CASCADE'.format(name))
    conn.close()


def load_into_pg(path, schema_name, table, layer=None):
    """A GeoPackage layer copied into PostGIS by GDAL (fid kept as the key, geometry column geom)."""
    from osgeo import gdal

    gdal.UseExceptions()
    dsn = "PG:host={host} port={port} dbname={dbname} user={user} password={password}".format(**PG)
    gdal.VectorTranslate(dsn, path, format="PostgreSQL", layers=[layer] if layer else None, layerName=table,
                         layerCreationOptions=["SCHEMA=" + schema_name, "GEOMETRY_NAME=geom", "FID=fid",
                                               "LAUNDER=NO", "SPATIAL_INDEX=GIST"],
                         accessMode="overwrite")


def pg_layer(schema_name, table):
    """The PostGIS table as a QGIS layer (the feature path reads exactly the values the SQL reads)."""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    uri = QgsDataSourceUri()
    uri.setConnection(PG["host"], str(PG["port"]), PG["dbname"], PG["user"], PG["password"])
    uri.setDataSource(schema_name, table, "geom", "", "fid")
    layer = QgsVectorLayer(uri.uri(False), table, "postgres")
    assert layer.isValid(), uri.uri(False)
    return layer


def feature_results(layer, std):
    features, _, results, _, _ = grading.grade_source(layer, std, now=NOW)
    return {f.id(): {k: r[k] for k in COMPARED} for f, r in zip(features, results)}


def pg_results(conn, schema_name, table):
    import psycopg2.extras

    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute('SELECT fid, {} FROM "{}"."{}"'.format(", ".join('"{}"'.format(c) for c in COMPARED),
                                                           schema_name, table))
        return {r["fid"]: {k: r[k] for k in COMPARED} for r in cur.fetchall()}


def _first_difference(fid, field, a, b):
    """(fid, field, the two values from the first character where they differ)."""
    if isinstance(a, str) and isinstance(b, str):
        k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return fid, field, a[max(k - 20, 0):k + 40], b[max(k - 20, 0):k + 40]
    return fid, field, a, b


# which presets grade inside PostGIS; the others fall back to the feature path, naming why
IN_DATABASE = set(standard.preset_ids())


@pytest.mark.parametrize("std_id", standard.preset_ids())
def test_postgis_grading_equals_the_feature_path(sample_data, pg_sample, std_id):
    conn, schema_name = pg_sample
    std = standard.load(std_id)
    source = "parcels"
    if not std.grades:  # a tags-only standard runs on graded parcels (the demo: Huangyan scores, then Tonglu tags)
        source = "scored"
        assert pg_grading.grade_table(conn, standard.load("zhejiang_huangyan_2022"), (schema_name, "parcels"),
                                      (schema_name, source), now=NOW) is not None
    expected = feature_results(pg_layer(schema_name, source), std)
    reasons = []
    dest = "graded_" + std_id
    got = pg_grading.grade_table(conn, std, (schema_name, source), (schema_name, dest), log=reasons.append,
                                 now=NOW)
    if std_id not in IN_DATABASE:
        assert got is None and reasons and reasons[0], reasons
        with conn.cursor() as cur:  # nothing written
            cur.execute("SELECT to_regclass(%s)", ('"{}"."{}"'.format(schema_name, dest),))
            assert cur.fetchone()[0] is None
        return
    assert got is not None, reasons
    actual = pg_results(conn, schema_name, dest)
    assert set(actual) == set(expected)
    diffs = [(fid, k, expected[fid][k], actual[fid][k]) for fid in sorted(expected) for k in COMPARED
             if expected[fid][k] != actual[fid][k]]
    assert not diffs, [_first_difference(*d) for d in diffs[:5]]
    grades = {r["grade"] for r in expected.values()}
    assert len(grades) >= 3  # a real spread of classes was compared, not all T


@pytest.fixture(scope="module")
def pg_graded(pg_sample):
    """The sample district graded (Huangyan scores, then Tonglu tags) in PostGIS: table "graded"."""
    conn, schema_name = pg_sample
    assert pg_grading.grade_table(conn, standard.load("zhejiang_huangyan_2022"), (schema_name, "parcels"),
                                  (schema_name, "scored_c"), now=NOW) is not None
    assert pg_grading.grade_table(conn, standard.load("tonglu_2022"), (schema_name, "scored_c"),
                                  (schema_name, "graded"), now=NOW) is not None
    return conn, schema_name


def test_explanation_symbols_agree_with_the_rule_language():
    from landeval_plugin.core.grading import condition

    assert pg_grading.HELD == condition._HELD and pg_grading.SHOW == condition._SHOW
    root = condition.Condition("a >= 1 and (b is null or c in (1, 2)) and not d like 'x%'").root
    assert [n.kind for n in pg_grading.walk(root)] == [n.kind for n in condition._walk(root)]


def _clusters(res):
    return sorted((c.cluster_id, round(c.area_mu, 9), c.parcel_codes, c.grade_counts, c.towns,
                   None if c.tax_10k is None else round(c.tax_10k, 9)) for c in res.clusters)


@pytest.mark.parametrize("gap,corners,flt", [
    (0.0, False, None), (0.0, True, None), (30.0, False, None),
    (10.0, False, "\"grade\" = 'D' or low_eff_tags like '%低效%'"),
])
def test_postgis_clusters_equal_the_feature_path(pg_graded, gap, corners, flt):
    from landeval_plugin.core.clusters import cluster
    from landeval_plugin.core.clusters import postgis as pg_clusters

    conn, schema_name = pg_graded
    flt = flt or cluster.DEFAULT_FILTER
    layer = pg_layer(schema_name, "graded")
    expected = cluster.find_clusters(layer, flt, gap, corners, 0.0, 2, geometry=False)
    got = pg_clusters.find_clusters_pg(conn, (schema_name, "graded"), flt, gap, corners, 0.0, 2)
    assert len(expected.clusters) >= 5  # real groups were compared
    assert got.assignment == expected.assignment
    assert _clusters(got) == _clusters(expected)
    assert got.dropped == expected.dropped
    assert got.report["members"] == expected.report["members"]
    assert got.report["groups"] == expected.report["groups"]
    # outlines: one polygon per cluster covering its members' area
    for c in got.clusters:
        assert not c.geometry.isEmpty()
    total = sum(c.geometry.area() for c in got.clusters) / (10000.0 / 15.0)
    assert total >= 0.999 * got.total_mu


def _pg_uri(schema_name, table, authcfg=None):
    from qgis.core import QgsDataSourceUri

    uri = QgsDataSourceUri()
    if authcfg:
        uri.setConnection(PG["host"], str(PG["port"]), PG["dbname"], "", "", QgsDataSourceUri.SslPrefer, authcfg)
    else:
        uri.setConnection(PG["host"], str(PG["port"]), PG["dbname"], PG["user"], PG["password"])
    uri.setDataSource(schema_name, table, "geom", "", "fid")
    return uri.uri(False)


def test_grade_algorithm_grades_inside_postgis(pg_sample, run_alg, tmp_path):
    """landeval:grade with a PostGIS input and a PostGIS output table grades in the database, with the
    same classes as the feature path (IN_DATABASE off, into a GeoPackage)."""
    from feedback_log import recording_feedback
    from qgis.core import QgsVectorLayer
    from store_support import auth_config

    conn, schema_name = pg_sample
    authcfg = auth_config(PG["user"], PG["password"])  # credentials in QGIS's authentication database
    layer = QgsVectorLayer(_pg_uri(schema_name, "parcels", authcfg), "parcels", "postgres")
    assert layer.isValid()

    log = recording_feedback()
    res = run_alg("landeval:grade", {"INPUT": layer, "STANDARD": "shanghai_songjiang_2023",
                                     "OUTPUT": "postgis:" + _pg_uri(schema_name, "alg_graded")}, feedback=log)
    assert any("Graded inside PostGIS" in line or "PostGIS 数据库内" in line for line in log.lines), log.lines
    out = QgsVectorLayer(res["OUTPUT"], "g", "postgres")
    assert out.isValid() and out.featureCount() == layer.featureCount()
    assert "password" not in res["OUTPUT"] and authcfg in res["OUTPUT"]  # the output source keeps the authcfg
    ref = run_alg("landeval:grade", {"INPUT": layer, "STANDARD": "shanghai_songjiang_2023", "IN_DATABASE": False,
                                     "OUTPUT": str(tmp_path / "graded.gpkg")})
    ref_layer = QgsVectorLayer(ref["OUTPUT"], "r", "ogr")
    expected = {f["parcel_code"]: (f["grade"], f["score"], f["low_eff_tags"]) for f in ref_layer.getFeatures()}
    got = {f["parcel_code"]: (f["grade"], f["score"], f["low_eff_tags"]) for f in out.getFeatures()}
    plain = {k: tuple(None if hasattr(x, "isNull") and x.isNull() else x for x in v) for k, v in got.items()}
    plain_ref = {k: tuple(None if hasattr(x, "isNull") and x.isNull() else x for x in v) for k, v in expected.items()}
    assert plain == plain_ref
    import json

    summary = json.loads(res["SUMMARY"])
    assert summary == json.loads(ref["SUMMARY"]) or {k: v["count"] for k, v in summary.items() if k != "low_eff"} \
        == {k: v["count"] for k, v in json.loads(ref["SUMMARY"]).items() if k != "low_eff"}


def test_grade_algorithm_refuses_the_input_table_as_output(pg_sample, run_alg):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    conn, schema_name = pg_sample
    layer = QgsVectorLayer(_pg_uri(schema_name, "parcels"), "parcels", "postgres")
    before = layer.featureCount()
    with pytest.raises(QgsProcessingException, match="is the input table|输入表"):
        run_alg("landeval:grade", {"INPUT": layer, "STANDARD": "zhejiang_huangyan_2022",
                                   "OUTPUT": "postgis:" + _pg_uri(schema_name, "parcels")})
    assert QgsVectorLayer(_pg_uri(schema_name, "parcels"), "p", "postgres").featureCount() == before


def test_untranslated_rules_fall_back_with_the_reason(pg_sample, tmp_path):
    """A rule the SQL does not translate (round()): nothing is written and the reason is given."""
    import yaml

    conn, schema_name = pg_sample
    data = yaml.safe_load(open(standard.resolve_path("beijing_etown_2023"), encoding="utf-8"))
    data["rules"][0]["when"] = "round(tax_per_ha, 0) > 100000"
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    std = standard.load(str(path))
    reasons = []
    assert pg_grading.grade_table(conn, std, (schema_name, "parcels"), (schema_name, "custom_graded"),
                                  log=reasons.append) is None
    assert reasons == ["function round()"]
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", ('"{}"."custom_graded"'.format(schema_name),))
        assert cur.fetchone()[0] is None
    conn.rollback()


def test_identifiers_are_quoted(pg_sample):
    """Schema, table and column names as users type them (quotes, %, ;) are quoted, never spliced."""
    conn, schema_name = pg_sample
    odd = 'parcels"; drop %s 评估'
    with conn.cursor() as cur:
        cur.execute('CREATE TABLE "{}"."{}" AS SELECT * FROM "{}".parcels'.format(
            schema_name, odd.replace('"', '""'), schema_name))
        cur.execute('ALTER TABLE "{}"."{}" ADD PRIMARY KEY (fid)'.format(schema_name, odd.replace('"', '""')))
    conn.commit()
    std = standard.load("zhejiang_huangyan_2022")
    dest = 'graded "x" %% 1'
    assert pg_grading.grade_table(conn, std, (schema_name, odd), (schema_name, dest), now=NOW) is not None
    assert pg_grading.grade_table(conn, std, (schema_name, "parcels"), (schema_name, "plain"), now=NOW) is not None
    with conn.cursor() as cur:
        cur.execute('SELECT count(*) FROM "{s}"."{a}" a JOIN "{s}".plain b USING (fid) WHERE a.grade = b.grade '
                    'AND a.grade_reason = b.grade_reason'.format(s=schema_name, a=dest.replace('"', '""')))
        same = cur.fetchone()[0]
        cur.execute('SELECT count(*) FROM "{}".parcels'.format(schema_name))
        assert same == cur.fetchone()[0] > 0
    conn.commit()


def test_clusters_algorithm_finds_neighbours_inside_postgis(pg_graded, run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    conn, schema_name = pg_graded
    layer = QgsVectorLayer(_pg_uri(schema_name, "graded"), "graded", "postgres")
    params = {"INPUT": layer, "GAP_M": 30, "MIN_AREA_MU": 0, "MIN_PARCELS": 2,
              "OUTPUT": str(tmp_path / "c_db.gpkg"), "OUTPUT_PARCELS": str(tmp_path / "p_db.gpkg")}
    got = run_alg("landeval:clusters", params)
    ref = run_alg("landeval:clusters", dict(params, IN_DATABASE=False, OUTPUT=str(tmp_path / "c_f.gpkg"),
                                            OUTPUT_PARCELS=str(tmp_path / "p_f.gpkg")))
    for key in ("CLUSTER_COUNT", "MEMBER_COUNT", "CLUSTERED_COUNT"):
        assert got[key] == ref[key]
    assert abs(got["CLUSTER_AREA_MU"] - ref["CLUSTER_AREA_MU"]) < 1e-6
    a = {f["parcel_code"]: f["cluster_id"] for f in QgsVectorLayer(got["OUTPUT_PARCELS"], "a", "ogr").getFeatures()}
    b = {f["parcel_code"]: f["cluster_id"] for f in QgsVectorLayer(ref["OUTPUT_PARCELS"], "b", "ogr").getFeatures()}
    assert a == b and got["CLUSTER_COUNT"] >= 5


def test_a_cancelled_run_writes_nothing(pg_sample):
    """Cancelled between two statements: the transaction is rolled back, no table is left."""
    from qgis.core import QgsProcessingFeedback

    conn, schema_name = pg_sample

    class CancelLater(QgsProcessingFeedback):
        def setProgress(self, value):
            super().setProgress(value)
            if value >= 15:
                self.cancel()

    with pytest.raises(pg_grading.Cancelled):
        pg_grading.grade_table(conn, standard.load("shanghai_songjiang_2023"), (schema_name, "parcels"),
                               (schema_name, "cancelled"), feedback=CancelLater())
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", ('"{}"."cancelled"'.format(schema_name),))
        assert cur.fetchone()[0] is None
    conn.rollback()


@pytest.mark.parametrize("std_id", ["zhejiang_huangyan_2022", "shanghai_songjiang_2023"])
def test_ranks_within_groups_equal_the_feature_path(pg_sample, std_id):
    """GROUP_BY town: ranks, quota classes and the group named in the reason, as the engine."""
    from qgis.core import QgsVectorLayer  # noqa: F401

    conn, schema_name = pg_sample
    std = standard.load(std_id)
    layer = pg_layer(schema_name, "parcels")
    features, _, results, _, _ = grading.grade_source(layer, std, group_by="town", now=NOW)
    expected = {f.id(): {k: r[k] for k in COMPARED} for f, r in zip(features, results)}
    dest = "grouped_" + std_id
    assert pg_grading.grade_table(conn, std, (schema_name, "parcels"), (schema_name, dest), group_by="town",
                                  now=NOW) is not None
    actual = pg_results(conn, schema_name, dest)
    diffs = [(fid, k, expected[fid][k], actual[fid][k]) for fid in sorted(expected) for k in COMPARED
             if expected[fid][k] != actual[fid][k]]
    assert not diffs, [_first_difference(*d) for d in diffs[:5]]
    assert any("（" in (r["grade_reason"] or "") and "名（" in (r["grade_reason"] or "") for r in expected.values())
