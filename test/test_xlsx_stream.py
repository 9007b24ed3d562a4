"""core/formats/xlsx_stream.py: openpyxl's write-only sheets streamed by the standard library give the
same worksheet XML, byte for byte, as openpyxl's in-memory standard-library writer."""
import datetime
import importlib
import zipfile

import pytest

from landeval_plugin.core.formats import xlsx_stream


def in_memory_writer_in_use():
    from openpyxl.worksheet import _writer

    module = importlib.import_module("et_xmlfile.xmlfile")
    return _writer.xmlfile is getattr(module, "xmlfile", None) and hasattr(module, "_FakeIncrementalFileWriter")


def workbook(path):
    """A write-only workbook with what the LandEval writers put in cells."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.cell_range import CellRange

    from landeval_plugin.core.formats.xlsx_text import row_of_cells

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("企业数据")
    ws.column_dimensions["B"].width = 22
    ws.freeze_panes = "B2"
    ws.merged_cells.add(CellRange(min_row=1, min_col=1, max_row=1, max_col=4))
    title = WriteOnlyCell(ws, value="桐庐县 <工业> & “企业” 数据")
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(horizontal="center", wrap_text=True)
    ws.append([title, None, None, None])
    ws.append([])
    for k in range(300):
        ws.append(row_of_cells(ws, [k, "=HYPERLINK(\"x\")", " 330122001001gb00001", "１２．５", "—", None, k * 1.25,
                                    -k, "12.5万元", datetime.date(2023, 1 + k % 12, 1), True, "a\tb\nc", "#N/A"]))
    ws.append(["注：“—”“无”表示未报送。"])
    other = wb.create_sheet("关联")
    other.append(["统一社会信用代码", "宗地代码", "面积占比"])
    other.append(row_of_cells(other, ["91330122MA2B3C4D5E", "330122001001GB00001", 0.5]))
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist() if name.startswith("xl/")}


def test_streamed_sheets_are_the_in_memory_writers_bytes(tmp_path):
    before = workbook(tmp_path / "memory.xlsx")
    with xlsx_stream.streamed_worksheets() as reason:
        assert reason is None
        streamed = workbook(tmp_path / "streamed.xlsx")
    assert sorted(streamed) == sorted(before)
    for part in before:
        assert streamed[part] == before[part], part
    sheet = streamed["xl/worksheets/sheet1.xml"]
    assert sheet.count(b"<row ") == 303
    # et_xmlfile 1 (bookworm) writes character references, et_xmlfile 2 and lxml (trixie, sid) UTF-8
    assert b"&lt;&#24037;&#19994;&gt; &amp;" in sheet or "&lt;工业&gt; &amp;".encode() in sheet


def test_the_stream_replaces_only_the_in_memory_writer_and_puts_it_back():
    from openpyxl.worksheet import _writer

    original = _writer.xmlfile
    with xlsx_stream.streamed_worksheets():
        with xlsx_stream.streamed_worksheets():  # nested (two workbooks at once)
            inner = _writer.xmlfile
        after_inner = _writer.xmlfile
    assert _writer.xmlfile is original
    if in_memory_writer_in_use():  # et_xmlfile 1 (Debian bookworm); lxml and et_xmlfile 2 stream already
        assert inner is after_inner is xlsx_stream.StreamingXmlfile
    else:
        assert inner is after_inner is original


def test_the_streaming_writer_is_an_incremental_xml_writer(tmp_path):
    """element() contexts, elements and text written in order; the root's start tag written once its
    first child comes; an empty element is short; nothing may follow the root."""
    from xml.etree.ElementTree import Element

    path = tmp_path / "x.xml"
    with xlsx_stream.StreamingXmlfile(str(path)) as xf:
        with xf.element("root", {"a": "1 & 2"}):
            xf.write("text <1>")
            with xf.element("empty"):
                pass
            child = Element("c", {"r": "A1"})
            child.text = "桐庐"
            xf.write(child)
            xf.write(" tail")
        with pytest.raises(ValueError):
            xf.write(Element("late"))
    assert path.read_bytes() == (b'<root a="1 &amp; 2">text &lt;1&gt;<empty /><c r="A1">&#26704;&#24208;</c> tail'
                                 b'</root>')
