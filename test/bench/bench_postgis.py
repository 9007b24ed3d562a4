"""PostGIS: grading and clusters inside the database beside the GeoPackage path (100,000 and 1,000,000 parcels).

A district of N parcels is generated inside PostgreSQL (generate_series: a grid of ~1 ha parcels, most
sharing edges with their neighbours, raw values for the Huangyan standard around its benchmarks) and
copied to a GeoPackage by GDAL. Each case runs in its own process (common.measure): its wall time,
CPU and peak memory are the client's; for the in-database cases the PostgreSQL backend's CPU seconds
and peak memory (VmHWM of the backend process) are printed beside them. Cases:

  pg_grade       core/grading/postgis.py: zhejiang_huangyan_2022 graded in SQL into a new table
  gpkg_grade     landeval:grade, GeoPackage in and out (the SQLite fast path, core/grading/gpkg.py)
  pg_clusters    core/clusters/postgis.py on the graded table (gap 0, default filter, outlines)
  gpkg_clusters  core/clusters/cluster.py:find_clusters on the graded GeoPackage (same parameters)

Sizes: ``--pg-sizes 100000,1000000`` (default 100000; ``--quick``: 5000). The GeoPackage cases are
skipped above ``--gpkg-max`` parcels (default 1,000,000). Timings are printed, never asserted.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

SCHEMA = "landeval_bench_pg"
STANDARD = "zhejiang_huangyan_2022"
FILTER = "\"grade\" IN ('C','D') OR \"low_eff\""


def _pg():
    from store_support import PG

    return PG


def _connect():
    import psycopg2

    conn = psycopg2.connect(connect_timeout=10, application_name="LandEval bench", **_pg())
    return conn


def _backend_usage(conn):
    """(CPU seconds, peak MB) of this connection's server process (read from /proc: same machine)."""
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        with open("/proc/{}/stat".format(pid)) as f:
            parts = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = (int(parts[11]) + int(parts[12])) / ticks
        peak = None
        with open("/proc/{}/status".format(pid)) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024.0
        return cpu, peak
    except OSError:
        return None, None


GENERATE = """
DROP TABLE IF EXISTS {s}.{t};
SELECT setseed(0.17);
CREATE TABLE {s}.{t} AS
WITH g AS (
  SELECT i, i %% %(side)s AS col, i / %(side)s AS row,
         random() AS r_w, random() AS r_h, random() AS r_scale, random() AS r_tax, random() AS r_va,
         random() AS r_en, random() AS r_em, random() AS r_emp, random() AS r_rnd, random() AS r_pw,
         random() AS r_missing
  FROM generate_series(0, %(n)s - 1) AS i
), p AS (
  SELECT i, col, row, r_scale, r_tax, r_va, r_en, r_em, r_emp, r_rnd, r_pw, r_missing,
         ST_Multi(ST_MakeEnvelope(500000 + col * 100.0, 3300000 + row * 100.0,
                                  500000 + col * 100.0 + CASE WHEN r_w < 0.8 THEN 100.0 ELSE 92.0 END,
                                  3300000 + row * 100.0 + CASE WHEN r_h < 0.8 THEN 100.0 ELSE 95.0 END,
                                  4549)) AS geom
  FROM g
)
SELECT i + 1 AS fid,
       'P' || lpad((i + 1)::text, 8, '0') AS parcel_code,
       '镇' || (1 + (col / 200) + (row / 200) * 10)::text AS town,
       CASE WHEN r_scale < 0.4 THEN '规上' ELSE '规下' END AS scale,
       -- raw values: indicator = benchmark × lognormal-ish spread, times the parcel area
       ST_Area(geom) / (10000.0 / 15.0) * 24.097 * exp((r_tax - 0.75) * 2.4) AS tax_10k,
       ST_Area(geom) / (10000.0 / 15.0) * 136.16 * exp((r_va - 0.7) * 2.0) AS value_added_10k,
       ST_Area(geom) / (10000.0 / 15.0) * 136.16 * exp((r_va - 0.7) * 2.0) / (2.694 * exp((r_en - 0.5) * 1.6))
         AS energy_tce,
       CASE WHEN r_missing < 0.1 THEN NULL ELSE ST_Area(geom) / (10000.0 / 15.0) * 136.16 * exp((r_va - 0.7) * 2.0)
         / (4929.81 * exp((r_em - 0.5) * 1.6)) END AS emission_t,
       greatest(1.0, round(ST_Area(geom) / (10000.0 / 15.0) * 136.16 * exp((r_va - 0.7) * 2.0)
         / (18.14 * exp((r_emp - 0.5) * 1.6)))) AS employees,
       ST_Area(geom) / (10000.0 / 15.0) * 136.16 * exp((r_va - 0.7) * 2.0) * 4 * 0.0302 * exp((r_rnd - 0.5) * 1.6)
         AS rnd_10k,
       ST_Area(geom) / (10000.0 / 15.0) * 136.16 * exp((r_va - 0.7) * 2.0) * 4 AS revenue_10k,
       ST_Area(geom) / (10000.0 / 15.0) * 24.097 * exp((r_tax - 0.75) * 2.4) / (0.2352 * exp((r_pw - 0.5) * 1.6))
         AS power_10k_kwh,
       geom
FROM p;
ALTER TABLE {s}.{t} ADD PRIMARY KEY (fid);
CREATE INDEX ON {s}.{t} USING gist (geom);
ANALYZE {s}.{t};
"""


def _table(size):
    return "parcels_{}".format(size)


def _gpkg(size, workdir):
    return os.path.join(workdir, "parcels_{}.gpkg".format(size))


def case_prepare(size, workdir):
    """The district in PostGIS (SQL) and the same rows in a GeoPackage (GDAL copy)."""
    import math
    import time

    from osgeo import gdal

    conn = _connect()
    conn.autocommit = True
    started = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS {}".format(SCHEMA))
        cur.execute("SET client_min_messages TO warning")
        cur.execute(GENERATE.format(s=SCHEMA, t=_table(size)), {"n": size, "side": int(math.ceil(math.sqrt(size)))})
    generated = time.perf_counter() - started
    conn.close()
    path = _gpkg(size, workdir)
    started = time.perf_counter()
    if os.path.exists(path):
        os.remove(path)
    gdal.UseExceptions()
    dsn = "PG:host={host} port={port} dbname={dbname} user={user} password={password}".format(**_pg())
    gdal.VectorTranslate(path, dsn, format="GPKG", layers=["{}.{}".format(SCHEMA, _table(size))],
                         layerName="parcels", accessMode=None)
    return {"generate_seconds": generated, "gpkg_copy_seconds": time.perf_counter() - started}


def case_pg_grade(size, workdir):
    import time

    from landeval_plugin.core.grading import postgis as pg_grading
    from landeval_plugin.core.grading import standard

    std = standard.load(STANDARD)
    conn = _connect()
    started = time.perf_counter()
    grader = pg_grading.grade_table(conn, std, (SCHEMA, _table(size)), (SCHEMA, "graded_{}".format(size)),
                                    log=print)
    seconds = time.perf_counter() - started
    cpu, peak = _backend_usage(conn)
    conn.close()
    return {"seconds": seconds, "server_cpu": cpu, "server_peak_mb": peak,
            "counts": grader.counts if grader else None}


def case_gpkg_grade(size, workdir):
    import time

    import processing

    out = os.path.join(workdir, "graded_{}.gpkg".format(size))
    if os.path.exists(out):
        os.remove(out)
    started = time.perf_counter()
    res = processing.run("landeval:grade", {"INPUT": _gpkg(size, workdir) + "|layername=parcels",
                                            "STANDARD": STANDARD, "OUTPUT": out})
    import json

    summary = json.loads(res["SUMMARY"])
    return {"seconds": time.perf_counter() - started,
            "counts": {g: v["count"] for g, v in summary.items() if isinstance(v, dict) and v["count"]}}


def case_pg_clusters(size, workdir):
    import time

    from landeval_plugin.core.clusters import postgis as pg_clusters

    conn = _connect()
    started = time.perf_counter()
    res = pg_clusters.find_clusters_pg(conn, (SCHEMA, "graded_{}".format(size)), FILTER, 0.0)
    seconds = time.perf_counter() - started
    cpu, peak = _backend_usage(conn)
    conn.close()
    return {"seconds": seconds, "server_cpu": cpu, "server_peak_mb": peak, "clusters": len(res.clusters),
            "members": res.report["members"], "area_mu": round(res.total_mu, 3)}


def case_gpkg_clusters(size, workdir):
    import time

    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.clusters import cluster

    layer = QgsVectorLayer(os.path.join(workdir, "graded_{}.gpkg".format(size)), "g", "ogr")
    started = time.perf_counter()
    res = cluster.find_clusters(layer, FILTER, 0.0)
    return {"seconds": time.perf_counter() - started, "clusters": len(res.clusters),
            "members": res.report["members"], "area_mu": round(res.total_mu, 3)}


def case_cleanup(size, workdir):
    conn = _connect()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS {s}.{a}, {s}.{b}".format(s=SCHEMA, a=_table(size),
                                                                   b="graded_{}".format(size)))
    conn.close()
    return {}


CASES = {"prepare": case_prepare, "pg_grade": case_pg_grade, "gpkg_grade": case_gpkg_grade,
         "pg_clusters": case_pg_clusters, "gpkg_clusters": case_gpkg_clusters, "cleanup": case_cleanup}


def _row(label, r):
    server = ""
    if r.get("server_cpu") is not None:
        server = "  server: {:7.2f} cpu s {:7.0f} MB".format(r["server_cpu"], r.get("server_peak_mb") or float("nan"))
    return "{:<26} {:8.2f} s {:8.2f} cpu s {:7.0f} MB client{}".format(
        label, r["seconds"], r.get("case_cpu", r.get("cpu_seconds", float("nan"))), r["peak_mb"], server)


def _cpu(r):
    """CPU seconds of an in-database case: the client's and the server backend's."""
    return max(r.get("case_cpu", 0.0) + (r.get("server_cpu") or 0.0), 1e-9)


def _mem(r):
    return max(r["peak_mb"] + (r.get("server_peak_mb") or 0.0), 1e-9)


def main(path, workdir, quick=False):
    from common import measure
    from store_support import pg_reason

    reason = pg_reason()
    if reason:
        print("  skipped: " + reason)
        return
    os.makedirs(workdir, exist_ok=True)
    sizes = [5000] if quick else [int(x) for x in (os.environ.get("LANDEVAL_BENCH_PG_SIZES") or "100000").split(",")]
    gpkg_max = int(os.environ.get("LANDEVAL_BENCH_GPKG_MAX") or 1000000)
    for size in sizes:
        prep = measure(path, "prepare", size, workdir)
        print("\n{:,} parcels: generated in PostGIS in {:.1f} s, copied to a GeoPackage in {:.1f} s".format(
            size, prep["generate_seconds"], prep["gpkg_copy_seconds"]))
        pg_g = measure(path, "pg_grade", size, workdir)
        gp_g = measure(path, "gpkg_grade", size, workdir) if size <= gpkg_max else None
        pg_c = measure(path, "pg_clusters", size, workdir)
        gp_c = measure(path, "gpkg_clusters", size, workdir) if size <= gpkg_max else None
        print(_row("grading in PostGIS", pg_g))
        if gp_g:
            print(_row("grading GeoPackage", gp_g))
            print("  {:<24} wall ×{:.2f}, CPU ×{:.2f} (client + server), memory ×{:.1f} (client + server) "
                  "(GeoPackage ÷ PostGIS); same classes: {}".format(
                      "ratio", gp_g["seconds"] / pg_g["seconds"], gp_g["case_cpu"] / _cpu(pg_g),
                      gp_g["peak_mb"] / _mem(pg_g), {k: v for k, v in (pg_g["counts"] or {}).items() if v}
                      == gp_g["counts"]))
        print("  classes (PostGIS): {}".format(pg_g["counts"]))
        print(_row("clusters in PostGIS", pg_c))
        if gp_c:
            print(_row("clusters GeoPackage", gp_c))
            print("  {:<24} wall ×{:.2f}, CPU ×{:.2f}, memory ×{:.1f} (client + server); same clusters: {} "
                  "({} clusters of {} members, {} 亩)".format(
                "ratio", gp_c["seconds"] / pg_c["seconds"], gp_c["case_cpu"] / _cpu(pg_c),
                gp_c["peak_mb"] / _mem(pg_c),
                (pg_c["clusters"], pg_c["members"], pg_c["area_mu"]) == (gp_c["clusters"], gp_c["members"],
                                                                         gp_c["area_mu"]),
                pg_c["clusters"], pg_c["members"], pg_c["area_mu"]))
        else:
            print("  GeoPackage path not run at {:,} parcels (--gpkg-max {:,})".format(size, gpkg_max))
        sys.stdout.flush()
        if not os.environ.get("LANDEVAL_BENCH_KEEP"):
            measure(path, "cleanup", size, workdir)
