"""The LandEval store (issue 16), end to end on both backends: a GeoPackage file and a PostGIS
schema of a real PostgreSQL server (the store_place fixture runs each test on both)."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from store_support import (
    BACKENDS,
    PG,
    PgPlace,
    auth_config,
    drop_connection,
    file_sha,
    need_pg,
    parcel_layer,
    qgis_connection,
    store_places,
)

from landeval_plugin.core import store as stores
from landeval_plugin.core.store import migrations

HOSTILE_FIELD = '亩均税收"; DROP TABLE x; --'


@pytest.fixture(params=BACKENDS)
def store_place(request, tmp_path, qgis_app):
    """(backend, reference of a new store, PgPlace or None): every test using it runs on both backends."""
    yield from store_places(request, tmp_path)


@pytest.fixture
def chinese():
    from landeval_plugin.i18n import install_translator, remove_translator

    assert install_translator("zh-Hans"), "build/ holds no landeval_zh_CN.qm (make build)"
    yield
    remove_translator()


def fill(store, year=2025, n=6):
    """Base map, graded parcels, a run, a review and a register row; returns the run id."""
    layer = parcel_layer(n)
    assert store.write_layer(year, "base_map", layer) == n
    run_id = store.record_run(year, "grade", standard_id="zhejiang_huangyan_2022", standard_version="1",
                              parameters={"group_by": "town"}, counts={"A": 2, "B": 2, "C": 1, "D": 1})
    assert store.write_layer(year, "graded", layer, run_id=run_id) == n
    store.record_review(year, "P001", why="现场核实：已停产", grade="D", path="收储")
    store.register_add(year, "P001", path="收储", responsible_unit="乙镇人民政府", deadline="2026-06-30",
                       attachments=["附件/P001 现场照片.jpg"], notes="初步清单")
    return run_id


def graded_row(store, code, year=2025):
    rows = store.find("graded", year, code)
    assert len(rows) == 1, rows
    return rows[0]


# ---- one schema, two backends ---------------------------------------------------------------------
def test_create_write_reopen_and_load_layers_with_styles(store_place):
    from qgis.core import QgsProject

    backend, ref, _ = store_place
    store = stores.create_store(ref)
    assert (store.backend, store.version, store.crs_authid) == (backend, 2, "EPSG:4549")
    run_id = fill(store)
    store.close()

    store = stores.open_store(ref)
    try:
        assert store.years() == [2025]
        runs = store.rows("SELECT * FROM {}".format(store.t("runs")))
        assert [(r["run_id"], r["standard_id"], json.loads(r["counts"])) for r in runs] == [
            (run_id, "zhejiang_huangyan_2022", {"A": 2, "B": 2, "C": 1, "D": 1})]
        assert json.loads(runs[0]["parameters"]) == {"group_by": "town"} and runs[0]["who"]
        row = graded_row(store, "P003")
        assert (row["town"], row["grade"], row[HOSTILE_FIELD], row["run_id"], row["row_version"]) == (
            "乙镇", "D", 3.75, run_id, 1)
        review = store.find("reviews", 2025, "P001")[0]
        assert (review["grade"], review["path"], review["why"], review["town"]) == (
            "D", "收储", "现场核实：已停产", "乙镇")
        reg = store.find("register", 2025, "P001")[0]
        assert (reg["status"], reg["responsible_unit"], reg["deadline"], json.loads(reg["attachments"])) == (
            "初步清单", "乙镇人民政府", "2026-06-30", ["附件/P001 现场照片.jpg"])
        project = QgsProject()
        layers = {layer.name(): layer for layer in store.load_layers(project)}
        graded = layers["Graded parcels 2025"]
        assert graded.isValid() and graded.featureCount() == 6 and graded.crs().authid() == "EPSG:4549"
        assert graded.renderer().type() == "categorizedSymbol"
        assert {c.value() for c in graded.renderer().categories()} >= {"A", "B", "C", "D"}
        assert sorted(f["parcel_code"] for f in graded.getFeatures()) == ["P{:03d}".format(i) for i in range(6)]
        assert layers["Base map 2025"].featureCount() == 6
        assert layers["Disposal register 2025"].featureCount() == 1
        for layer in layers.values():
            assert "password" not in layer.source().lower()
    finally:
        store.close()


def test_register_status_follows_the_workflow(store_place):
    _, ref, _ = store_place
    store = stores.create_store(ref)
    try:
        fill(store)
        fid = store.find("register", 2025, "P001")[0]["fid"]
        version = 1
        for status in ("已核实", "已认定", "已入库", "整治中", "已完成", "已出库"):
            version = store.register_set_status(fid, version, status)
        row = store.row("register", fid)
        assert (row["status"], row["row_version"]) == ("已出库", 7) and row["completed_at"]
        with pytest.raises(stores.StoreError, match="not one of"):
            store.register_set_status(fid, version, "随便")
        assert store.row("register", fid)["status"] == "已出库"
    finally:
        store.close()


# ---- many users: row versions ---------------------------------------------------------------------
def test_two_sessions_saving_the_same_parcel_conflict_and_different_parcels_both_kept(store_place):
    _, ref, _ = store_place
    setup = stores.create_store(ref)
    fill(setup)
    setup.close()
    first, second = stores.open_store(ref), stores.open_store(ref)
    try:
        a, b = graded_row(first, "P001"), graded_row(second, "P001")   # both read version 1
        assert first.update_row("graded", a["fid"], a["row_version"], {"grade_final": "C"}) == 2
        with pytest.raises(stores.StoreConflict) as err:
            second.update_row("graded", b["fid"], b["row_version"], {"grade_final": "A"})
        assert "P001" in str(err.value)
        assert graded_row(second, "P001")["grade_final"] == "C"        # never silently overwritten
        c = graded_row(second, "P002")
        assert second.update_row("graded", c["fid"], c["row_version"], {"grade_final": "B"}) == 2
        assert (graded_row(first, "P001")["grade_final"], graded_row(first, "P002")["grade_final"]) == ("C", "B")
        log = first.rows("SELECT * FROM {} WHERE table_name = 'graded' AND operation = 'UPDATE' ORDER BY fid".format(
            first.t("change_log")))
        assert [(json.loads(r["old_values"]).get("grade_final"), json.loads(r["new_values"])["grade_final"])
                for r in log] == [(None, "C"), (None, "B")]
        assert all(r["who"] and r["at"] for r in log)
    finally:
        first.close()
        second.close()


def test_concurrent_sessions_on_postgis_second_waits_then_conflicts():
    """Two open transactions on the same parcel: the second blocks on the row lock, then sees the
    first one's commit and gets a conflict (PostgreSQL re-checks the row version)."""
    import threading

    need_pg()
    place = PgPlace()
    try:
        store = stores.create_store(place.reference())
        fill(store)
        store.close()
        first, second = stores.open_store(place.reference()), stores.open_store(place.reference())
        row = graded_row(first, "P004")
        outcome = {}

        def save_second():
            try:
                second.update_row("graded", row["fid"], row["row_version"], {"grade_final": "A"})
                outcome["second"] = "saved"
            except stores.StoreConflict as exc:
                outcome["second"] = str(exc)

        with first.transaction():
            first.update_row("graded", row["fid"], row["row_version"], {"grade_final": "D"})
            thread = threading.Thread(target=save_second)
            thread.start()
            waiting = first.rows("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                 "AND application_name = 'LandEval'")
            for _ in range(200):  # until the second session waits on the row lock (not a timing assertion)
                if waiting[0]["n"]:
                    break
                time.sleep(0.05)
                waiting = first.rows("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                     "AND application_name = 'LandEval'")
            assert "second" not in outcome
        thread.join(60)
        assert outcome["second"].startswith("Conflict: parcel P004")
        assert graded_row(first, "P004")["grade_final"] == "D"
        first.close()
        second.close()
    finally:
        place.cleanup()


# ---- versions ---------------------------------------------------------------------------------------
def test_an_older_store_is_upgraded_in_one_transaction(store_place, monkeypatch):
    _, ref, _ = store_place
    old = stores.create_store(ref, version=1)
    assert "attachments" not in old.existing_columns("register") and not old.table_exists("town_roles")
    old.register_add(2024, "P009", path="提质", town="甲镇")
    before = old.digest()
    old.close()

    def broken(store):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setitem(migrations.STEPS, 2, broken)
    with pytest.raises(stores.StoreError, match="left as it was"):
        stores.open_store(ref)
    with pytest.raises(stores.StoreError, match="needs an upgrade"):
        stores.open_store(ref, upgrade=False)
    monkeypatch.delitem(migrations.STEPS, 2)

    kind, where = stores.parse(ref)
    if kind == "gpkg":
        from landeval_plugin.core.store.gpkg import GpkgStore
        raw = GpkgStore(where).connect()
    else:
        from landeval_plugin.core.store.postgres import PgStore
        raw = PgStore(where[0], where[1]).connect()
    raw.version = 1
    assert raw.meta()["schema_version"] == "1" and raw.digest() == before  # the failed upgrade changed nothing
    assert "attachments" not in raw.existing_columns("register")
    raw.close()

    store = stores.open_store(ref)
    try:
        assert store.version == 2 and store.meta()["schema_version"] == "2"
        assert "attachments" in store.existing_columns("register") and store.table_exists("town_roles")
        assert store.find("register", 2024, "P009")[0]["path"] == "提质"
        log = store.rows("SELECT old_values, new_values FROM {} WHERE operation = 'UPGRADE'".format(
            store.t("change_log")))
        assert [(json.loads(r["old_values"]), json.loads(r["new_values"])) for r in log] == [
            ({"schema_version": 1}, {"schema_version": 2})]
    finally:
        store.close()


def test_a_newer_store_is_refused_in_chinese_and_left_alone(store_place, chinese):
    _, ref, _ = store_place
    store = stores.create_store(ref)
    fill(store)
    with store.transaction():
        store.set_meta("schema_version", "99")
    store.version = 2
    before = store.digest()
    store.close()
    kind, where = stores.parse(ref)
    sha = file_sha(where) if kind == "gpkg" else None
    with pytest.raises(stores.StoreError) as err:
        stores.open_store(ref)
    assert "99" in str(err.value) and "请升级 LandEval 插件" in str(err.value) and "未做任何修改" in str(err.value)
    if kind == "gpkg":
        assert file_sha(where) == sha
        from landeval_plugin.core.store.gpkg import GpkgStore
        raw = GpkgStore(where).connect()
    else:
        from landeval_plugin.core.store.postgres import PgStore
        raw = PgStore(where[0], where[1]).connect()
    raw.version = 2
    assert raw.digest() == before
    raw.close()


def test_a_store_of_another_tool_is_refused(store_place, tmp_path, chinese):
    backend, ref, place = store_place
    if backend == "gpkg":
        from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

        layer = parcel_layer(3)
        opts = QgsVectorFileWriter.SaveVectorOptions()
        opts.driverName = "GPKG"
        err = QgsVectorFileWriter.writeAsVectorFormatV2(layer, ref, QgsCoordinateTransformContext(), opts)
        assert err[0] == QgsVectorFileWriter.NoError
        sha = file_sha(ref)
    else:
        from psycopg2 import sql
        from store_support import admin_connection
        conn = admin_connection()
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(place.schema)))
            cur.execute(sql.SQL("CREATE TABLE {}.other_tool (id int, note text)").format(sql.Identifier(place.schema)))
            # (no bound parameters here: psycopg2 would read the schema name's "%s" as a placeholder)
            cur.execute(sql.SQL("INSERT INTO {}.other_tool VALUES (1, {})").format(sql.Identifier(place.schema),
                                                                                  sql.Literal("别人的数据")))
    with pytest.raises(stores.StoreError) as err:
        stores.open_store(ref)
    assert "不是 LandEval 存储库" in str(err.value)
    with pytest.raises(stores.StoreError) as err:
        stores.create_store(ref)
    assert ("已存在" in str(err.value)) if backend == "gpkg" else ("其他工具" in str(err.value))
    if backend == "gpkg":
        assert file_sha(ref) == sha
    else:
        with conn.cursor() as cur:
            cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (place.schema,))
            assert [r[0] for r in cur.fetchall()] == ["other_tool"]
            cur.execute(sql.SQL("SELECT note FROM {}.other_tool").format(sql.Identifier(place.schema)))
            assert cur.fetchall() == [("别人的数据",)]
        conn.close()


# ---- safety: export/import, killed writer ------------------------------------------------------------
def test_backup_and_restore_round_trip_with_check(store_place, tmp_path):
    backend, ref, place = store_place
    store = stores.create_store(ref)
    fill(store)
    fill(store, year=2026, n=4)
    with store.transaction():
        store.insert("town_roles", {"role_name": 'town "甲"; role', "town": "甲镇"})   # copied after change_log
    digest = store.digest()
    store.close()
    backup = str(tmp_path / "备份.gpkg")
    assert stores.export_store(ref, backup) == digest
    assert not os.path.exists(backup + ".part.gpkg")
    # back into a new store of the same backend, and into a GeoPackage
    target = place.reference(place.other_schema("restored")) if backend == "postgres" else str(tmp_path / "r.gpkg")
    assert stores.import_store(backup, target) == digest
    assert stores.import_store(backup, str(tmp_path / "as file.gpkg")) == digest
    restored = stores.open_store(target)
    try:
        assert restored.digest() == digest and restored.years() == [2025, 2026]
        # new rows after a restore get new ids (the fid sequence moved past the copied rows)
        fid = restored.record_review(2026, "P002", why="复评")
        assert fid > max(r["fid"] for r in restored.rows("SELECT fid FROM {} WHERE why <> '复评'".format(
            restored.t("reviews"))))
    finally:
        restored.close()
    with pytest.raises(stores.StoreError, match="already holds data"):
        stores.import_store(backup, target)


CHILD = r"""
import os, sys, time
sys.path.insert(0, {root!r})
from qgis.core import QgsApplication
app = QgsApplication([], False); app.initQgis()
sys.path.insert(0, {test_dir!r})
from store_support import parcel_layer
from landeval_plugin.core.store import gpkg, postgres
kind, where = {kind!r}, {where!r}
store = gpkg.open_gpkg(where) if kind == "gpkg" else postgres.open_pg("child", where, params={params!r})
layer = parcel_layer(9000)

class Feedback:
    def isCanceled(self):
        return False
    def setProgress(self, value):  # called inside the transaction, after each batch of rows
        open({marker!r}, "w").write(str(value))
        time.sleep(600)

store.write_layer(2025, "base_map", layer, feedback=Feedback())
"""


def test_a_killed_run_leaves_the_store_unchanged(store_place, tmp_path):
    _, ref, _ = store_place
    store = stores.create_store(ref)
    fill(store)
    before = store.digest()
    store.close()
    kind, where = stores.parse(ref)
    marker = str(tmp_path / "midway")
    script = CHILD.format(root=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          test_dir=os.path.dirname(os.path.abspath(__file__)), kind=kind,
                          where=where if kind == "gpkg" else where[1], params=PG, marker=marker)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(1200):  # wait for the child to be midway (inside its transaction)
            if os.path.exists(marker) or child.poll() is not None:
                break
            time.sleep(0.1)
        assert os.path.exists(marker), child.communicate()[0].decode(errors="replace")[-2000:]
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(60)
    assert child.returncode == -signal.SIGKILL
    store = stores.open_store(ref)
    try:
        assert store.digest() == before
        assert len(store.find("base_map", 2025, "P000")) == 1
    finally:
        store.close()


def test_a_failing_write_rolls_back(store_place):
    _, ref, _ = store_place
    store = stores.create_store(ref)
    try:
        fill(store)
        before = store.digest()
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.record_review(2025, "P002", why="先写一条")
                store.write_layer(2025, "graded", parcel_layer(3))
                raise RuntimeError("power cut (simulated)")
        assert store.digest() == before
    finally:
        store.close()


# ---- PostGIS: bad connections, roles and row-level security, secrets --------------------------------
def test_postgis_bad_connections_say_why_in_chinese(qgis_app, chinese):
    need_pg()
    tag = str(os.getpid())
    wrong = "wrong-" + tag + "-Secret!"
    bad_auth = auth_config(PG["user"], wrong, "wrong password")
    good_auth = auth_config(PG["user"], PG["password"])
    qgis_connection("wrong password " + tag, bad_auth)
    qgis_connection("unreachable " + tag, good_auth, port=1)
    try:
        with pytest.raises(stores.StoreError) as err:
            stores.create_store(stores.pg_reference("wrong password " + tag, "x"))
        assert "用户名或密码被拒绝" in str(err.value) and wrong not in str(err.value)
        with pytest.raises(stores.StoreError) as err:
            stores.open_store(stores.pg_reference("unreachable " + tag, "x"))
        assert "无法连接服务器" in str(err.value) and "localhost:1" in str(err.value)
        with pytest.raises(stores.StoreError) as err:
            stores.open_store(stores.pg_reference("没有这个连接", "x"))
        assert "没有名为“没有这个连接”的 PostgreSQL 连接" in str(err.value)
        place = PgPlace()
        try:
            with pytest.raises(stores.StoreError) as err:
                stores.open_store(place.reference())
            assert "不存在" in str(err.value)
        finally:
            place.cleanup()
    finally:
        drop_connection("wrong password " + tag)
        drop_connection("unreachable " + tag)


def test_postgis_town_reviewer_and_bureau_accounts(qgis_app, tmp_path, chinese):
    import secrets

    from qgis.core import QgsProject, QgsSettings

    from landeval_plugin.core.store import security

    need_pg()
    place = PgPlace()
    tag = place.tag
    roles = {"bureau": "le_bureau_" + tag, "reviewer": "le_reviewer_" + tag, "jia": 'le_town "甲"; ' + tag,
             "yi": "le_town_乙_" + tag}
    users = {k: "le_user_{}_{}".format(k, tag) for k in ("jia", "reviewer", "bureau")}
    place.roles += list(users.values()) + list(roles.values())
    passwords = {k: "pw-" + secrets.token_hex(12) for k in users}
    try:
        owner = stores.create_store(place.reference())
        fill(owner)
        security.setup_shared(owner, roles["bureau"], roles["reviewer"])
        security.add_town(owner, "甲镇", roles["jia"])
        security.add_town(owner, "乙镇", roles["yi"])
        for k, login in users.items():
            security.add_user(owner, login, roles[k], passwords[k])
        connections = {}
        for k, login in users.items():
            connections[k] = "LandEval {} {}".format(k, tag)
            qgis_connection(connections[k], auth_config(login, passwords[k]))
        ref = {k: stores.pg_reference(c, place.schema) for k, c in connections.items()}

        town = stores.open_store(ref["jia"])
        own, other = graded_row(town, "P000"), graded_row(town, "P001")   # 甲镇, 乙镇
        assert (own["town"], other["town"]) == ("甲镇", "乙镇")
        with pytest.raises(stores.StorePermission) as err:
            town.update_row("graded", other["fid"], other["row_version"], {"grade_final": "A"})
        assert "无权修改" in str(err.value) and "P001" in str(err.value) and "乙镇" in str(err.value)
        assert town.update_row("graded", own["fid"], own["row_version"], {"grade_final": "B"}) == 2
        with pytest.raises(stores.StorePermission) as err:
            town.register_add(2025, "P003", path="提质")                   # 乙镇's parcel
        assert "P003" in str(err.value) and "未做任何修改" in str(err.value)
        fid = town.register_add(2025, "P002", path="提质", responsible_unit="甲镇经发办")
        reg = town.find("register", 2025, "P001")[0]
        with pytest.raises(stores.StorePermission):
            town.register_set_status(reg["fid"], reg["row_version"], "已核实")
        assert town.register_set_status(fid, 1, "已核实") == 2
        project = QgsProject()
        sources = [layer.source() for layer in town.load_layers(project)]
        town.close()

        reviewer = stores.open_store(ref["reviewer"])
        assert reviewer.record_review(2025, "P001", why="复核：维持 D 类", grade="D")
        with pytest.raises(stores.StorePermission):
            reviewer.register_add(2025, "P001", path="收储")
        reviewer.close()

        bureau = stores.open_store(ref["bureau"])
        assert len(bureau.find("graded", 2025, "P001")) == 1 and len(bureau.rows(
            "SELECT * FROM {}".format(bureau.t("register")))) == 2
        row = graded_row(bureau, "P001")
        with pytest.raises(stores.StorePermission):
            bureau.update_row("graded", row["fid"], row["row_version"], {"grade_final": "C"})
        bureau.close()

        assert graded_row(owner, "P001")["grade_final"] is None      # nobody changed 乙镇's parcel
        log = owner.rows("SELECT who, table_name, operation, old_values, new_values FROM {} WHERE who = %s "
                         "ORDER BY fid".format(owner.t("change_log")), (users["jia"],))
        assert [(r["table_name"], r["operation"]) for r in log] == [("graded", "UPDATE"), ("register", "INSERT"),
                                                                    ("register", "UPDATE")]
        assert json.loads(log[0]["old_values"])["grade_final"] is None
        assert json.loads(log[0]["new_values"])["grade_final"] == "B"
        assert json.loads(log[2]["new_values"])["status"] == "已核实"
        assert owner.rows("SELECT who FROM {} WHERE table_name = 'reviews' AND operation = 'INSERT' AND who = %s"
                          .format(owner.t("change_log")), (users["reviewer"],))

        # no password in layer sources, the project file, QGIS settings or the store
        project_file = str(tmp_path / "project.qgs")
        assert project.write(project_file)
        QgsSettings().sync()
        with open(project_file, encoding="utf-8") as fh:
            project_text = fh.read()
        with open(QgsSettings().fileName(), encoding="utf-8", errors="replace") as fh:
            settings_text = fh.read()
        store_text = json.dumps({t: owner.dump(t)[1] for t in owner.table_names() if t not in ("base_map", "graded",
                                                                                              "clusters")},
                                ensure_ascii=False, default=str)
        for pw in passwords.values():
            for where, text in (("sources", "\n".join(sources)), ("project", project_text),
                                ("settings", settings_text), ("store", store_text)):
                assert pw not in text, where
        assert "authcfg=" in sources[0] and "password" not in sources[0]
        owner.close()
    finally:
        for c in list(locals().get("connections", {}).values()):
            drop_connection(c)
        place.cleanup()


def test_a_direct_edit_in_qgis_bumps_the_row_version(store_place):
    """An attribute-table edit that does not touch row_version still moves it on, so a LandEval save
    based on the version read before gets the conflict."""
    from qgis.core import QgsVectorLayer

    backend, ref, _ = store_place
    store = stores.create_store(ref)
    try:
        fill(store)
        row = graded_row(store, "P002")
        uri, provider = store.layer_source("graded", 2025)
        layer = QgsVectorLayer(uri, "graded", provider)
        assert layer.isValid()
        feature = next(f for f in layer.getFeatures() if f["parcel_code"] == "P002")
        assert layer.dataProvider().changeAttributeValues(
            {feature.id(): {layer.fields().indexOf("grade_final"): "B"}})
        del layer
        assert graded_row(store, "P002")["row_version"] == 2
        with pytest.raises(stores.StoreConflict):
            store.update_row("graded", row["fid"], row["row_version"], {"grade_final": "D"})
        assert graded_row(store, "P002")["grade_final"] == "B"
        if backend == "postgres":
            log = store.rows("SELECT new_values FROM {} WHERE table_name = 'graded' AND operation = 'UPDATE'".format(
                store.t("change_log")))
            assert [json.loads(r["new_values"])["grade_final"] for r in log] == ["B"]
    finally:
        store.close()


def test_postgis_enterprise_rows_carry_their_parcels_town_and_follow_row_level_security(qgis_app, chinese):
    """Enterprise rows written with STORE get the town of the parcel they are linked to, so the
    row-level security restricts them like parcels: a town account inserts and changes only its own
    town's enterprise rows (an edit in QGIS's attribute table is such an SQL statement); the bureau
    reads them all and changes none."""
    import secrets

    from qgis.core import QgsFeature, QgsField, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    from landeval_plugin.core.store import security
    from landeval_plugin.processing import store_sink

    need_pg()
    place = PgPlace()
    tag = place.tag
    roles = {"bureau": "le_bureau_e" + tag, "reviewer": "le_reviewer_e" + tag, "jia": "le_town_甲_e" + tag,
             "yi": "le_town_乙_e" + tag}
    users = {k: "le_user_e{}_{}".format(k, tag) for k in ("jia", "bureau")}
    place.roles += list(users.values()) + list(roles.values())
    passwords = {k: "pw-" + secrets.token_hex(12) for k in users}
    connections = {}
    try:
        owner = stores.create_store(place.reference())
        fill(owner)                                       # P000.. in 甲镇, 乙镇, 甲镇, ...
        parcels = parcel_layer(6)
        ents = QgsVectorLayer("None", "enterprises", "memory")
        ents.dataProvider().addAttributes([QgsField("parcel_code", QVariant.Type.String),
                                           QgsField("credit_code", QVariant.Type.String),
                                           QgsField("enterprise_name", QVariant.Type.String)])
        ents.updateFields()
        rows = [("P000", "91330100MA0000000A", "甲一厂"), ("P001", "91330100MA0000001B", "乙一厂"),
                ("P001", "91330100MA0000002C", "乙二厂"), ("P002", "91330100MA0000003D", "甲二厂"),
                ("X999", "91330100MA0000004E", "无宗地")]
        feats = []
        for values in rows:
            f = QgsFeature(ents.fields())
            f.setAttributes(list(values))
            feats.append(f)
        ents.dataProvider().addFeatures(feats)
        towns = store_sink.parcel_towns(parcels, "parcel_code")
        assert towns == {"P000": "甲镇", "P001": "乙镇", "P002": "甲镇", "P003": "乙镇", "P004": "甲镇",
                         "P005": "乙镇"}
        store_sink.write_step(place.reference(), 2025, "joinenterprises", [("enterprises", ents)],
                              QgsProcessingContext(), QgsProcessingFeedback(), towns=towns, output="enterprises")
        stored = owner.rows("SELECT parcel_code, enterprise_name, town FROM {} WHERE year = 2025 ORDER BY "
                            "enterprise_name".format(owner.t("enterprises")))
        assert sorted((r["parcel_code"], r["enterprise_name"], r["town"]) for r in stored) == [
            ("P000", "甲一厂", "甲镇"), ("P001", "乙一厂", "乙镇"), ("P001", "乙二厂", "乙镇"),
            ("P002", "甲二厂", "甲镇"), ("X999", "无宗地", None)]
        assert ents.fields().indexOf("town") < 0          # the step's own table is not changed

        security.setup_shared(owner, roles["bureau"], roles["reviewer"])
        security.add_town(owner, "甲镇", roles["jia"])
        security.add_town(owner, "乙镇", roles["yi"])
        for k, login in users.items():
            security.add_user(owner, login, roles[k], passwords[k])
            connections[k] = "LandEval e{} {}".format(k, tag)
            qgis_connection(connections[k], auth_config(login, passwords[k]))
        ref = {k: stores.pg_reference(c, place.schema) for k, c in connections.items()}
        t = owner.t("enterprises")

        town = stores.open_store(ref["jia"])
        try:
            assert len(town.rows("SELECT fid FROM {}".format(t))) == 5            # reads every town's rows
            with town.transaction():                                               # its own town's row
                assert town.execute("UPDATE {} SET enterprise_name = %s WHERE parcel_code = 'P000'".format(t),
                                    ("甲一厂（已核实）",)).rowcount == 1
                # another town's rows are not its to change: no row is touched
                assert town.execute("UPDATE {} SET enterprise_name = 'x' WHERE parcel_code = 'P001'".format(t)
                                    ).rowcount == 0
                assert town.execute("DELETE FROM {} WHERE town = '乙镇' OR town IS NULL".format(t)).rowcount == 0
                town.execute("INSERT INTO {} (year, parcel_code, enterprise_name, town) VALUES (2025, 'P004', "
                             "'甲三厂', '甲镇')".format(t))
            with pytest.raises(stores.StorePermission) as err:                     # nor to add
                with town.transaction():
                    town.execute("INSERT INTO {} (year, parcel_code, enterprise_name, town) VALUES (2025, 'P003', "
                                 "'冒名厂', '乙镇')".format(t))
            assert "row-level security" in str(err.value) and users["jia"] in str(err.value)
        finally:
            town.close()

        bureau = stores.open_store(ref["bureau"])
        try:
            assert len(bureau.rows("SELECT fid FROM {}".format(t))) == 6
            with pytest.raises(stores.StorePermission):
                with bureau.transaction():
                    bureau.execute("UPDATE {} SET enterprise_name = 'x' WHERE parcel_code = 'P000'".format(t))
        finally:
            bureau.close()

        after = {(r["parcel_code"], r["enterprise_name"], r["town"]) for r in owner.rows(
            "SELECT parcel_code, enterprise_name, town FROM {}".format(t))}
        assert after == {("P000", "甲一厂（已核实）", "甲镇"), ("P001", "乙一厂", "乙镇"), ("P001", "乙二厂", "乙镇"),
                         ("P002", "甲二厂", "甲镇"), ("X999", "无宗地", None), ("P004", "甲三厂", "甲镇")}
        owner.close()
    finally:
        for c in connections.values():
            drop_connection(c)
        place.cleanup()
