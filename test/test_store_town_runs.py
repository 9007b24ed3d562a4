"""A town account of a shared PostGIS store runs a step with STORE (issue 16.3): its run is
recorded (INSERT on ``runs``, as itself), its own town's rows are replaced, and it still cannot
change other towns' rows or any run; a shared store whose grants predate this gets them when its
owner opens it (core/store/security.py ROLES_VERSION, check_roles from open_store)."""
import json
import os
import secrets
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import random_rows, write_layer
from store_support import PgPlace, auth_config, drop_connection, file_sha, need_pg, qgis_connection

from landeval_plugin.core import store as stores

EAST, WEST = "城东街道", "城西街道"


@pytest.fixture
def chinese():
    from landeval_plugin.i18n import install_translator, remove_translator

    assert install_translator("zh-Hans"), "build/ holds no landeval_zh_CN.qm (make build)"
    yield
    remove_translator()


@pytest.fixture
def shared(qgis_app, tmp_path, run_alg):
    """A shared PostGIS store graded for 2025 by its owner (every town), with a town role and a
    login for 城东街道; yields a dict of what the tests need."""
    from landeval_plugin.core.store import security

    need_pg()
    place = PgPlace()
    tag = place.tag
    roles = {"bureau": "le_bureau_r" + tag, "reviewer": "le_reviewer_r" + tag, "east": 'le_town "东"; r' + tag}
    login = "le_user_r_east_" + tag
    place.roles += [login] + list(roles.values())
    password = "pw-" + secrets.token_hex(12)
    connection = "LandEval r east " + tag
    rows = random_rows(80, seed=5)
    src = write_layer(str(tmp_path / "parcels.gpkg"), rows).source()
    try:
        owner_ref = place.reference()
        stores.create_store(owner_ref).close()
        first = run_alg("landeval:grade", {"INPUT": src, "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2025,
                                           "OUTPUT": str(tmp_path / "district.gpkg"), "STORE": owner_ref})
        owner = stores.open_store(owner_ref)
        security.setup_shared(owner, roles["bureau"], roles["reviewer"])
        security.add_town(owner, EAST, roles["east"])
        security.add_user(owner, login, roles["east"], password)
        qgis_connection(connection, auth_config(login, password))
        east_rows = [r for r in rows if r["town"] == EAST]
        assert 3 <= len(east_rows) < len(rows)
        east = write_layer(str(tmp_path / "east.gpkg"), east_rows).source()   # a path: no layer kept alive
        yield {"owner": owner, "owner_ref": owner_ref, "ref": stores.pg_reference(connection, place.schema),
               "login": login, "first_run": first["RUN_ID"], "east": east, "east_path": str(tmp_path / "east.gpkg"),
               "n": len(rows), "n_east": len(east_rows), "tmp": tmp_path, "roles": roles}
        owner.close()
    finally:
        drop_connection(connection)
        place.cleanup()


def _grade_east(run_alg, s, name):
    return run_alg("landeval:grade", {"INPUT": s["east"], "STANDARD": "zhejiang_huangyan_2022",
                                      "YEAR": 2025, "OUTPUT": str(s["tmp"] / name), "STORE": s["ref"]})


def _graded(store):
    return {r["parcel_code"]: (r["town"], r["run_id"], r["grade"]) for r in store.rows(
        "SELECT parcel_code, town, run_id, grade FROM {} WHERE year = 2025".format(store.t("graded")))}


def test_a_town_account_records_its_own_run_and_changes_only_its_town(shared, run_alg, chinese):
    s, owner = shared, shared["owner"]
    before = _graded(owner)
    assert len(before) == s["n"] and {run for _, run, _ in before.values()} == {s["first_run"]}
    sha = file_sha(s["east_path"])
    res = _grade_east(run_alg, s, "east_graded.gpkg")
    assert file_sha(s["east_path"]) == sha                       # the input is not written

    runs = {r["run_id"]: r for r in owner.rows("SELECT * FROM {}".format(owner.t("runs")))}
    assert set(runs) == {s["first_run"], res["RUN_ID"]}
    mine = runs[res["RUN_ID"]]
    assert (mine["who"], mine["year"], mine["step"], mine["standard_id"]) == (s["login"], 2025, "grade",
                                                                              "zhejiang_huangyan_2022")
    assert sum(json.loads(mine["counts"]).values()) == s["n_east"]
    after = _graded(owner)
    assert len(after) == s["n"]
    for code, (town, run, grade) in after.items():               # its town's rows are the new run's
        assert run == (res["RUN_ID"] if town == EAST else s["first_run"]), code
        if town != EAST:
            assert (town, run, grade) == before[code]            # other towns' rows untouched
    # every row the town changed and its run are in the change log under its login, by trigger
    log = owner.rows("SELECT table_name, operation FROM {} WHERE who = %s".format(owner.t("change_log")),
                     (s["login"],))
    ops = [(r["table_name"], r["operation"]) for r in log]
    assert ops.count(("runs", "INSERT")) == 1
    assert ops.count(("graded", "DELETE")) == s["n_east"] and ops.count(("graded", "INSERT")) == s["n_east"]

    town = stores.open_store(s["ref"])
    try:
        runs_t = town.t("runs")
        for sql in ("UPDATE {} SET who = 'x' WHERE run_id = %s", "DELETE FROM {} WHERE run_id = %s"):
            for run in (s["first_run"], res["RUN_ID"]):          # no run can be changed, not even its own
                with pytest.raises(stores.StorePermission) as err:
                    with town.transaction():
                        town.execute(sql.format(runs_t), (run,))
                assert s["login"] in str(err.value) and "未做任何修改" in str(err.value)
        with pytest.raises(stores.StorePermission):                # nor a run recorded in another's name
            town.record_run(2025, "grade", who="区自然资源局")
        other = next(code for code, (t, _, _) in after.items() if t != EAST)
        with town.transaction():                                   # another town's parcel: no row is touched
            assert town.execute("UPDATE {} SET grade_final = 'A' WHERE parcel_code = %s".format(
                town.t("graded")), (other,)).rowcount == 0
    finally:
        town.close()
    assert len(owner.rows("SELECT run_id FROM {}".format(owner.t("runs")))) == 2
    assert _graded(owner)[other] == before[other]


def test_a_town_run_with_another_towns_parcel_fails_and_leaves_the_store(shared, run_alg, chinese):
    from qgis.core import QgsProcessingException

    s, owner = shared, shared["owner"]
    before = owner.digest()
    rows = random_rows(80, seed=5)[:12]
    assert {r["town"] for r in rows} - {EAST}
    mixed = write_layer(str(s["tmp"] / "mixed.gpkg"), rows).source()
    out = str(s["tmp"] / "mixed_graded.gpkg")
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:grade", {"INPUT": mixed, "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2025,
                                   "OUTPUT": out, "STORE": s["ref"]})
    text = str(err.value)
    assert "未做任何修改" in text and s["login"] in text and "row-level security" in text
    assert os.path.exists(out)                                     # the result written, said so
    assert owner.digest() == before


def test_an_older_shared_store_gets_the_grant_when_its_owner_opens_it(shared, run_alg, chinese):
    from qgis.core import QgsProcessingException

    s, owner = shared, shared["owner"]
    t = owner.t("runs")
    with owner.transaction():                                      # as an older LandEval left it
        owner.execute("REVOKE INSERT ON {} FROM {}".format(t, owner.q(s["roles"]["east"])))
        owner.execute("DROP POLICY landeval_own_run_insert ON {}".format(t))
        owner.execute("DROP POLICY landeval_read ON {}".format(t))
        owner.execute("ALTER TABLE {} DISABLE ROW LEVEL SECURITY".format(t))
        owner.execute("DELETE FROM {} WHERE key = 'roles_version'".format(owner.t("landeval_meta")))
    before = owner.digest()
    with pytest.raises(QgsProcessingException) as err:             # the town opens it: nothing to upgrade for it
        _grade_east(run_alg, s, "too_early.gpkg")
    assert "runs" in str(err.value) and "所有者" in str(err.value) and "未做任何修改" in str(err.value)
    assert owner.digest() == before and "roles_version" not in owner.meta()

    again = stores.open_store(s["owner_ref"])                      # the owner opens it: upgraded
    try:
        assert again.meta()["roles_version"] == "2" and not again.roles_outdated
        assert again.rows("SELECT operation, new_values FROM {} WHERE table_name = 'landeval_meta' ORDER BY fid DESC "
                          "LIMIT 1".format(again.t("change_log")))[0]["new_values"] == '{"roles_version": 2}'
    finally:
        again.close()
    res = _grade_east(run_alg, s, "after.gpkg")
    who = owner.rows("SELECT who FROM {} WHERE run_id = %s".format(t), (res["RUN_ID"],))
    assert who == [{"who": s["login"]}]
