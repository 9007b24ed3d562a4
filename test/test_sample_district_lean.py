"""The sample district generator's lean memory (issue 17) writes exactly what it wrote before.

test/sample_district_reference.py is the generator as it was (main fe95fbb: everything held until
the end, the enterprise sheet built in memory). Both write a district of the same size and seed; the
files must be the same: every table of the GeoPackage row for row (fids, attribute values, geometry
blobs, spatial index, metadata; only gpkg_contents' time stamp differs), the Shapefile byte for
byte (but the dBASE header's date of last update) and every part of both workbooks byte for byte
(but the creation and modification times in docProps/core.xml)."""
import os
import re
import sqlite3
import zipfile

import pytest
import sample_district_reference as reference

from landeval_plugin.core.sample import sample_district as sd


def gpkg_dump(path):
    con = sqlite3.connect(path)
    try:
        tables = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        rows = {}
        for kind, name, _ in tables:
            if kind != "table":
                continue
            cursor = con.execute('SELECT * FROM "{}" ORDER BY rowid'.format(name)
                                 if not name.startswith("rtree_") else 'SELECT * FROM "{}"'.format(name))
            columns = [c[0] for c in cursor.description]
            data = cursor.fetchall()
            if name == "gpkg_contents":  # the time each layer was written
                at = columns.index("last_change")
                data = [r[:at] + ("<time>",) + r[at + 1:] for r in data]
            rows[name] = (columns, data)
        return tables, rows
    finally:
        con.close()


def workbook_parts(path):
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"<time>", parts["docProps/core.xml"])
    return parts


def assert_same_files(old, new):
    """Every output file of ``old`` (a dict as generate() returns) equals the one in ``new``."""
    old_dir, new_dir = os.path.dirname(old["gpkg"]), os.path.dirname(new["gpkg"])
    names = sorted(os.path.basename(p) for p in sd.output_files(old_dir))
    assert sorted(os.listdir(old_dir)) == sorted(os.listdir(new_dir)) == names
    tables_old, rows_old = gpkg_dump(old["gpkg"])
    tables_new, rows_new = gpkg_dump(new["gpkg"])
    assert tables_new == tables_old
    for name in rows_old:
        assert rows_new[name] == rows_old[name], name
    for layer in ("bdcdj", "ydpw", "tdlyxz", "czkfbj", "gybzx", "roads", "rivers", "towns"):
        assert len(rows_old[layer][1]) > 0, layer  # a real comparison, not of two empty files
    for name in names:
        if name.endswith((".shp", ".shx", ".dbf", ".prj", ".cpg")):
            a = open(os.path.join(old_dir, name), "rb").read()
            b = open(os.path.join(new_dir, name), "rb").read()
            if name.endswith(".dbf"):  # bytes 1-3: the date of last update
                a, b = a[:1] + a[4:], b[:1] + b[4:]
            assert a == b, name
    for key in ("enterprises_xlsx", "link_xlsx"):
        parts_old, parts_new = workbook_parts(old[key]), workbook_parts(new[key])
        assert sorted(parts_new) == sorted(parts_old), key
        for part in parts_old:
            assert parts_new[part] == parts_old[part], (key, part)
    sheet = workbook_parts(old["enterprises_xlsx"])["xl/worksheets/sheet1.xml"]
    assert sheet.count(b"<row ") > 3  # the title, the two header rows and enterprises


@pytest.mark.parametrize("parcels, seed", [(1600, 3), (120, 5)])
def test_the_lean_generator_writes_the_same_files_as_before(qgis_app, tmp_path, monkeypatch, parcels, seed):
    from test_xlsx_stream import in_memory_writer_in_use

    from landeval_plugin.core.formats import xlsx_stream

    old = reference.generate(str(tmp_path / "old"), parcels=parcels, seed=seed)
    streamed = []

    class Spy(xlsx_stream._StreamingWriter):
        def __init__(self, output_file):
            streamed.append(output_file)
            super().__init__(output_file)

    monkeypatch.setattr(xlsx_stream, "_StreamingWriter", Spy)
    new = sd.generate(str(tmp_path / "new"), parcels=parcels, seed=seed)
    # the two sheets went through the streaming writer (where openpyxl's writer would hold them)
    assert len(streamed) == (2 if in_memory_writer_in_use() else 0)
    assert_same_files(old, new)


def test_the_comparison_sees_a_changed_value(qgis_app, tmp_path):
    """assert_same_files is not blind: one cell of the workbook or one attribute of the register differs."""
    first = sd.generate(str(tmp_path / "a"), parcels=120, seed=5)
    second = sd.generate(str(tmp_path / "b"), parcels=120, seed=5)
    assert_same_files(first, second)
    from osgeo import ogr

    ds = ogr.Open(second["gpkg"], 1)
    layer = ds.GetLayerByName("bdcdj")
    feature = layer.GetFeature(7)
    feature.SetField("宗地面积", feature.GetField("宗地面积") + 0.01)
    assert layer.SetFeature(feature) == 0
    ds = None
    with pytest.raises(AssertionError, match="bdcdj"):
        assert_same_files(first, second)


def test_an_unknown_xlsx_writer_is_left_to_openpyxl_and_said(qgis_app, tmp_path, monkeypatch):
    """The fallback: an XML writer this package does not know writes the workbooks itself (the same
    files), and the log says why the sheet may be held in memory."""
    from feedback_log import recording_feedback
    from openpyxl.worksheet import _writer

    original = _writer.xmlfile

    class OtherWriter:  # e.g. a later et_xmlfile or openpyxl: delegates to the writer in use
        def __init__(self, *args, **kwargs):
            self.inner = original(*args, **kwargs)

        def __enter__(self):
            return self.inner.__enter__()

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)

    monkeypatch.setattr(_writer, "xmlfile", OtherWriter)
    log = recording_feedback()
    old = reference.generate(str(tmp_path / "old"), parcels=120, seed=5)
    new = sd.generate(str(tmp_path / "new"), parcels=120, seed=5, feedback=log)
    assert_same_files(old, new)
    said = [line for line in log.lines if "openpyxl" in line]
    assert len(said) == 1 and "test_sample_district_lean" in said[0], log.lines
    assert "may hold the whole sheet in memory" in said[0] or "整张工作表可能全部保留在内存中" in said[0]
    assert _writer.xmlfile is OtherWriter  # left as it was
