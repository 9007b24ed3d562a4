"""Many users on one PostGIS store: roles and row-level security (issue 16.3).

Run by the store's owner (an administrator whose PostgreSQL role may create roles):

    setup_shared(store, bureau_role="landeval_bureau", reviewer_role="landeval_reviewer")
    add_town(store, "城东街道", "landeval_town_chengdong")      # a group role acting for one town
    add_user(store, "zhang_san", "landeval_town_chengdong")    # a login in that group

What each group may do (the owner keeps every right and bypasses the policies):
- a town role changes (insert, update, delete) only rows whose ``town`` is its own, in the
  base map, graded parcels, reviews, the disposal register and the enterprise data (whose rows
  carry the town of their parcel, processing/store_sink.py), and reads everything;
- the reviewer role records and updates review decisions, and reads everything;
- the bureau role reads everything and changes nothing;
- a town role also records its own runs when it runs a step with STORE: INSERT on ``runs`` (the
  table has a text key, no sequence), with row-level security: the run's ``who`` must be the
  login itself; no UPDATE or DELETE of any run.
Every change by anyone is logged in ``change_log`` by trigger (who, when, old and new values).

The grants have their own revision (``roles_version`` in landeval_meta, ROLES_VERSION here), apart
from the schema version (a grant changes no table: older plugins keep opening the store): when
the owner opens a shared store set up by an older LandEval, ``check_roles`` brings its grants
and policies up to date in one transaction, as core/store/migrations.py does the schema.
"""
from ...i18n import tr
from .base import StoreError
from .postgres import TOWN_TABLES

# 1: town roles change their town's rows; 2: town roles also record their own runs
ROLES_VERSION = 2

def _require_pg(store):
    if store.backend != "postgres":
        raise StoreError(tr("Roles and row-level security need a PostgreSQL store; a GeoPackage store has a "
                            "single user."))


def _role_exists(store, role):
    return bool(store.rows("SELECT 1 AS x FROM pg_roles WHERE rolname = %s", (role,)))


def _ensure_group(store, role):
    if not role or not role.strip():
        raise StoreError(tr("A role needs a name."))
    if not _role_exists(store, role):
        store.execute("CREATE ROLE {} NOLOGIN".format(store.q(role)))


def setup_shared(store, bureau_role, reviewer_role):
    """Create the bureau and reviewer group roles (when missing), the town-check function, the
    row-level security policies and the grants, in one transaction."""
    _require_pg(store)
    s = store.q(store.schema_name)
    with store.transaction():
        for role in (bureau_role, reviewer_role):
            _ensure_group(store, role)
        store.set_meta("bureau_role", bureau_role)
        store.set_meta("reviewer_role", reviewer_role)
        # true when the current account belongs to a role acting for ``town``
        store.execute("""
CREATE OR REPLACE FUNCTION {s}.landeval_my_town(t text) RETURNS boolean LANGUAGE sql STABLE AS $f$
  SELECT EXISTS (SELECT 1 FROM {s}.town_roles r WHERE r.town = t AND pg_has_role(current_user, r.role_name, 'MEMBER'))
$f$""".format(s=s))
        reviewer_check = "pg_has_role(current_user, {}, 'MEMBER')".format(store.literal(reviewer_role))
        for table in TOWN_TABLES:
            t = store.t(table)
            store.execute("ALTER TABLE {} ENABLE ROW LEVEL SECURITY".format(t))
            for name in ("landeval_read", "landeval_town_insert", "landeval_town_update", "landeval_town_delete",
                         "landeval_reviewer_insert", "landeval_reviewer_update"):
                store.execute("DROP POLICY IF EXISTS {} ON {}".format(store.q(name), t))
            mine = "{}.landeval_my_town(town)".format(s)
            store.execute("CREATE POLICY landeval_read ON {} FOR SELECT USING (true)".format(t))
            store.execute("CREATE POLICY landeval_town_insert ON {} FOR INSERT WITH CHECK ({})".format(t, mine))
            store.execute("CREATE POLICY landeval_town_update ON {} FOR UPDATE USING ({}) WITH CHECK ({})".format(
                t, mine, mine))
            store.execute("CREATE POLICY landeval_town_delete ON {} FOR DELETE USING ({})".format(t, mine))
            if table == "reviews":
                store.execute("CREATE POLICY landeval_reviewer_insert ON {} FOR INSERT WITH CHECK ({})".format(
                    t, reviewer_check))
                store.execute("CREATE POLICY landeval_reviewer_update ON {} FOR UPDATE USING ({}) WITH CHECK "
                              "({})".format(t, reviewer_check, reviewer_check))
        _runs_policies(store)
        for role in (bureau_role, reviewer_role):
            _grant_read(store, role)
        store.execute("GRANT INSERT, UPDATE ON {} TO {}".format(store.t("reviews"), store.q(reviewer_role)))
        store.execute("GRANT INSERT ON {} TO {}".format(store.t("years"), store.q(reviewer_role)))
        store.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}".format(s, store.q(reviewer_role)))
        for town_role in [r["role_name"] for r in store.rows("SELECT role_name FROM {}".format(store.t("town_roles")))]:
            _grant_town(store, town_role)
        store.set_meta("roles_version", str(ROLES_VERSION))


def _runs_policies(store):
    """Row-level security on ``runs``: everyone with SELECT reads every run; a run is inserted only
    under the inserting login (``who``); no policy for UPDATE or DELETE (the owner bypasses these)."""
    t = store.t("runs")
    store.execute("ALTER TABLE {} ENABLE ROW LEVEL SECURITY".format(t))
    for name in ("landeval_read", "landeval_own_run_insert"):
        store.execute("DROP POLICY IF EXISTS {} ON {}".format(store.q(name), t))
    store.execute("CREATE POLICY landeval_read ON {} FOR SELECT USING (true)".format(t))
    store.execute("CREATE POLICY landeval_own_run_insert ON {} FOR INSERT WITH CHECK (who = session_user::text)"
                  .format(t))


def roles_outdated(store):
    """True for a shared store (set up with roles) whose grants predate ROLES_VERSION."""
    meta = store.meta()
    if store.backend != "postgres" or not meta.get("reviewer_role"):
        return False
    try:
        return int(meta.get("roles_version") or 1) < ROLES_VERSION
    except ValueError:
        return True


def check_roles(store):
    """Opening a shared PostGIS store (core/store/__init__.py open_store): grants that predate this
    LandEval (ROLES_VERSION) are upgraded in one transaction when its owner opens it; another
    account only notes it (``store.roles_outdated``: its refusals then say that the owner must
    open the store once). A failed upgrade leaves the store as it was."""
    store.roles_outdated = roles_outdated(store)
    if not store.roles_outdated or not store.is_owner():
        return
    try:
        with store.transaction():
            upgrade_roles(store)
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(tr("Upgrading the roles of {} to revision {} failed ({}); the store was left as it "
                            "was.").format(store.describe(), ROLES_VERSION, exc)) from exc
    store.roles_outdated = False


def upgrade_roles(store):
    """Bring the grants and policies of a shared store up to ROLES_VERSION (run by the owner,
    inside the caller's transaction): the town roles get INSERT on ``runs`` under its policy."""
    before = store.meta().get("roles_version") or "1"
    _runs_policies(store)
    for town_role in [r["role_name"] for r in store.rows("SELECT role_name FROM {}".format(store.t("town_roles")))]:
        if _role_exists(store, town_role):
            _grant_town(store, town_role)
    store.set_meta("roles_version", str(ROLES_VERSION))
    store.log_change("landeval_meta", None, "UPGRADE", {"roles_version": before},
                     {"roles_version": ROLES_VERSION})


def _grant_read(store, role):
    s = store.q(store.schema_name)
    store.execute("GRANT USAGE ON SCHEMA {} TO {}".format(s, store.q(role)))
    store.execute("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}".format(s, store.q(role)))
    store.execute("GRANT EXECUTE ON FUNCTION {}.landeval_my_town(text) TO {}".format(s, store.q(role)))


def _grant_town(store, role):
    s = store.q(store.schema_name)
    _grant_read(store, role)
    for table in TOWN_TABLES:
        store.execute("GRANT INSERT, UPDATE, DELETE ON {} TO {}".format(store.t(table), store.q(role)))
    store.execute("GRANT INSERT ON {} TO {}".format(store.t("years"), store.q(role)))
    # its own runs (policy landeval_own_run_insert); runs has a text key: no sequence to grant
    store.execute("GRANT INSERT ON {} TO {}".format(store.t("runs"), store.q(role)))
    store.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}".format(s, store.q(role)))


def add_town(store, town, role):
    """A group role that acts for ``town`` (created when missing), in one transaction."""
    _require_pg(store)
    if not (town or "").strip():
        raise StoreError(tr("A town needs a name."))
    if not store.meta().get("reviewer_role"):
        raise StoreError(tr("Set up the shared store first (roles and row-level security)."))
    with store.transaction():
        _ensure_group(store, role)
        store.execute("DELETE FROM {} WHERE role_name = %s".format(store.t("town_roles")), (role,))
        store.execute("INSERT INTO {} (role_name, town) VALUES (%s, %s)".format(store.t("town_roles")), (role, town))
        _grant_town(store, role)


def add_user(store, login, group_role, password=None):
    """A login role in ``group_role`` (created when missing; the password, if given, is bound by
    psycopg2 and never logged or stored by LandEval)."""
    _require_pg(store)
    if not _role_exists(store, group_role):
        raise StoreError(tr("Role {} does not exist: add the town or set up the shared store first.").format(
            group_role))
    with store.transaction():
        if not _role_exists(store, login):
            if password:
                store.execute("CREATE ROLE {} LOGIN PASSWORD %s".format(store.q(login)), (password,))
            else:
                store.execute("CREATE ROLE {} LOGIN".format(store.q(login)))
        store.execute("GRANT {} TO {}".format(store.q(group_role), store.q(login)))
