"""A layer of a GeoPackage store read after another layer of the same file entered edit mode.

QGIS (with GDAL >= 3.4.2) opens a GeoPackage in rollback-journal mode for reading without locking
(NOLOCK) and switches the file to WAL when a layer of it enters edit mode; a handle opened without
locking cannot read a WAL file ("sqlite3_step(): unable to open database file"). QGIS shares that
handle among the layers of the file's tables and gives it to a layer opened later when the file's
time stamp has not moved past the one it noted (the flaky part of
test_meeting_store_years.py::test_decisions_and_minutes_are_the_years): the new layer then counts
-1 rows, has an empty extent, reads nothing, and QGIS only logs it. These tests make that state on
purpose (a table of the file held open, another table edited) instead of waiting for the timing.
"""
import os
import sqlite3

import pytest
from test_meeting_store_years import PARCELS, X0, Y0, YEARS, width, year_layer


def _new_store(path):
    from landeval_plugin.core import store as stores

    store = stores.create_store(path)
    for year in YEARS:
        assert store.write_layer(year, "graded", year_layer(year)) == len(PARCELS)
    return store


def _journal_mode(path):
    con = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
    try:
        return con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()


def _year_extent(year):
    """xmin, ymin, xmax, ymax of that year's parcels."""
    n = len(PARCELS) - 1
    return X0, Y0, X0 + n * 200 + width(n, year), Y0 + 40


def _box(layer):
    e = layer.extent()
    return None if e.isEmpty() else tuple(round(v, 3) for v in (e.xMinimum(), e.yMinimum(), e.xMaximum(),
                                                                 e.yMaximum()))


@pytest.fixture
def project(qgis_new_project):
    yield qgis_new_project
    qgis_new_project.removeAllMapLayers()


def test_a_new_store_is_in_wal_mode_and_its_layers_read_after_one_of_them_is_edited(project, tmp_path):
    """Layers opened beside the open store (as store.load_layers and the meeting fixture do): they
    are read with locking, so the other layers and a layer opened afterwards still read every row
    once the graded layer is in edit mode. Before the fix the file was in rollback-journal mode and
    the new layer counted -1 rows with an empty extent."""
    from qgis.core import QgsVectorLayer

    path = str(tmp_path / "评估库.gpkg")
    store = _new_store(path)
    try:
        graded = QgsVectorLayer(*store.layer_source("graded"))
        base = QgsVectorLayer(*store.layer_source("base_map"))          # another table: one GDAL handle
        one = QgsVectorLayer(*store.layer_source("graded", 2024))
    finally:
        store.close()
    project.addMapLayers([graded, base, one])
    assert graded.featureCount() == len(PARCELS) * len(YEARS) and base.featureCount() == 0

    assert graded.startEditing()                                       # QGIS: the file in WAL mode
    fresh = QgsVectorLayer(*store.layer_source("graded"))
    project.addMapLayer(fresh)
    assert fresh.setSubsetString('"year" = 2024')
    assert fresh.featureCount() == len(PARCELS)
    assert _box(fresh) == pytest.approx(_year_extent(2024))
    assert sorted(f["parcel_code"] for f in fresh.getFeatures()) == sorted(c for c, _, _ in PARCELS)
    assert one.setSubsetString('"year" = 2025') and one.featureCount() == len(PARCELS)
    assert _box(one) == pytest.approx(_year_extent(2025))
    assert _journal_mode(path) == "wal"
    graded.rollBack()


def _stale_project(project, path):
    """The store's graded layer and its base_map opened by QGIS alone (a project opened again): QGIS
    leaves the file in rollback-journal mode and reads it without locking; then the graded layer
    enters edit mode (a meeting), which switches the file to WAL."""
    from qgis.core import QgsVectorLayer

    _new_store(path).close()
    graded = QgsVectorLayer(path + "|layername=graded", "已评价地块（存储库）", "ogr")
    base = QgsVectorLayer(path + "|layername=base_map", "底图", "ogr")
    project.addMapLayers([graded, base])
    assert graded.isValid() and graded.featureCount() == len(PARCELS) * len(YEARS)
    assert _journal_mode(path) == "delete"
    assert graded.startEditing()
    assert _journal_mode(path) == "wal"
    return graded


def test_the_meetings_copies_of_a_store_layer_read_the_file_after_it_entered_edit_mode(project, tmp_path):
    """year_filter.all_years (every year of a layer showing one) and the map export's copy open the
    layer's source again: they read it through a handle of their own, not through the one QGIS
    opened before the file was switched to WAL (before the fix: -1 rows and an empty map extent)."""
    from landeval_plugin.core.meeting import map_export
    from landeval_plugin.core.meeting import walkthrough as w
    from landeval_plugin.core.meeting import year_filter as yf

    path = str(tmp_path / "评估库.gpkg")
    graded = _stale_project(project, path)
    assert yf.show_year(graded, 2024) == ""
    assert graded.subsetString() == '"year" = 2024'

    every = yf.all_years(graded)
    project.addMapLayer(every, False)       # the project owns the copies (freed by Python: a crash)
    assert every is not graded and every.featureCount() == len(PARCELS) * len(YEARS)
    assert _box(every) == pytest.approx((X0, Y0) + _year_extent(2025)[2:])
    assert w.layer_years(graded) == list(YEARS)

    copy = map_export.styled_copy(graded, "grade", [])
    project.addMapLayer(copy, False)
    assert copy.featureCount() == len(PARCELS)
    assert _box(copy) == pytest.approx(_year_extent(2024))
    assert yf.restore(graded) == ""
    graded.rollBack()


def test_a_read_that_comes_back_empty_from_a_gpkg_holding_rows_is_an_error(project, tmp_path):
    """Where QGIS still reads nothing (a handle of its own that went stale), LandEval says so with
    the layer, the table, the file and the rows the file holds, instead of taking it for no rows."""
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core import gpkg_read
    from landeval_plugin.core.meeting import walkthrough as w

    path = str(tmp_path / "评估库.gpkg")
    _stale_project(project, path)
    stale = QgsVectorLayer(path + "|layername=graded", "已评价地块（存储库）", "ogr")   # QGIS's shared handle
    project.addMapLayer(stale)
    assert stale.setSubsetString('"year" = 2023')
    assert stale.featureCount() < 1                  # the condition itself: QGIS could not count the rows
    reason = gpkg_read.empty_read_reason(stale, stale.featureCount())
    assert "已评价地块（存储库）" in reason and "graded" in reason and path in reason
    assert str(len(PARCELS)) in reason

    class NothingRead:
        """The layer as QGIS hands it back when its reads fail: the same source, no rows."""

        def __init__(self, layer):
            self.layer = layer

        def __getattr__(self, name):
            return getattr(self.layer, name)

        def getFeatures(self, *args):
            return iter(())

    with pytest.raises(w.MeetingError) as err:
        w.layer_years(NothingRead(stale))
    assert path in str(err.value) and "graded" in str(err.value)
    # a layer that really has no rows for its filter is no error
    empty = QgsVectorLayer(path + "|layername=graded", "空", "ogr")
    project.addMapLayer(empty, False)
    assert empty.setSubsetString('"year" = 1999')
    assert gpkg_read.empty_read_reason(empty, 0) == ""
    assert gpkg_read.rows_in_file(empty) == 0
    assert os.path.isfile(path)


def test_a_new_store_on_a_network_share_keeps_the_rollback_journal(tmp_path, monkeypatch):
    """WAL is unsafe on a network share (SQLite's shared-memory index does not work across
    machines) and QGIS does not switch such a file either: a store made there keeps SQLite's
    rollback journal and is written and read as before."""
    from landeval_plugin.core import files

    monkeypatch.setattr(files, "is_local_file", lambda path, mounts_text=None: False)
    path = str(tmp_path / "共享盘评估库.gpkg")
    store = _new_store(path)
    store.close()
    assert _journal_mode(path) == "delete"
    assert sqlite3.connect(path).execute('SELECT count(*) FROM "graded"').fetchone()[0] == len(PARCELS) * len(YEARS)


def test_network_shares_are_told_from_local_disks_by_the_mount_table():
    from landeval_plugin.core import files

    mounts = "\n".join([
        "/dev/sda1 / ext4 rw,relatime 0 0",
        "proc /proc proc rw 0 0",
        "//nas/规划 /mnt/share cifs rw,vers=3.0 0 0",
        "server:/export /mnt/nfs nfs4 rw 0 0",
        "/dev/sdb1 /mnt/share/local\\040disk ext4 rw 0 0",
        "tmpfs /tmp tmpfs rw 0 0",
    ])
    assert files.is_local_file("/home/planner/评估库.gpkg", mounts)
    assert files.is_local_file("/tmp/评估库.gpkg", mounts)
    assert not files.is_local_file("/mnt/share/2025/评估库.gpkg", mounts)
    assert not files.is_local_file("/mnt/nfs/评估库.gpkg", mounts)
    assert files.is_local_file("/mnt/sharewhatever/x.gpkg", mounts)  # another folder beside the share: local
    assert files.is_local_file("/mnt/share/local disk/评估库.gpkg", mounts)  # a local disk mounted inside
    assert files.is_local_file(__file__)  # this machine's own test folder
