"""Upgrading a store to the plugin's schema version, in one transaction.

Each version step adds what schema.yaml marks `since: N` (new tables, new columns of older
tables); a step that needs more (moving data) goes into STEPS as a function of the store.
Any failure rolls the whole upgrade back: the store keeps its old version and content.
"""
from ...i18n import tr
from .errors import StoreError

# version -> function(store) run after the generic additions of that version
STEPS = {}


def upgrade(store, from_version):
    target = store.schema.version
    try:
        with store.transaction():
            for version in range(from_version + 1, target + 1):
                tables, columns = store.schema.added_in(version)
                for table in tables:
                    store.create_table(table, version)
                for table, column in columns:
                    if column.name.lower() not in {c.lower() for c in store.existing_columns(table.name)}:
                        store.execute(store.add_column_sql(table.name, column.name, column.type))
                if version in STEPS:
                    STEPS[version](store)
            store.after_upgrade(from_version, target)
            store.set_meta("schema_version", str(target))
            store.log_change("landeval_meta", None, "UPGRADE", {"schema_version": from_version},
                             {"schema_version": target})
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(tr("Upgrading {} from schema version {} to {} failed ({}); the store was left as it "
                            "was.").format(store.describe(), from_version, target, exc)) from exc
