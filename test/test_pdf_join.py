"""core/formats/pdf_join.py: joining the PDFs Qt writes (the parts of a combined 一地一档 PDF)."""
import os
import re
import subprocess
import unicodedata

import pytest


def qt_pdf(path, texts):
    """A PDF written by Qt's PDF writer (as QGIS's exporter uses it), one page per text (letters:
    pdftotext reads no digits from this font in this small test)."""
    from qgis.PyQt.QtCore import QRectF
    from qgis.PyQt.QtGui import QColor, QImage, QPainter, QPdfWriter

    from landeval_plugin.core import fonts

    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    font = painter.font()
    family = fonts.resolve_cjk_family()
    if family:
        font.setFamily(family)
    font.setPointSize(24)
    painter.setFont(font)
    for k, text in enumerate(texts):
        if k:
            writer.newPage()
        painter.drawText(QRectF(100, 100, 8000, 1000), text)
        painter.drawImage(QRectF(100, 1500, 2000, 1500), image)
    painter.end()
    return str(path)


def text_of(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE, check=True).stdout
    return [unicodedata.normalize("NFKC", p).strip() for p in out.decode("utf-8").split("\f")[:-1]]


def test_joined_pages_in_order_with_their_text(qgis_app, tmp_path):
    from landeval_plugin.core.dossiers.publication import pdf_problem
    from landeval_plugin.core.formats.pdf_join import join_pdfs, page_count
    from landeval_plugin.core.formats.pdf_outline import add_pdf_outline, read_pdf_outline

    a = qt_pdf(tmp_path / "a.pdf", ["宗地 A", "宗地 B"])
    b = qt_pdf(tmp_path / "b.pdf", ["宗地 C"])
    c = qt_pdf(tmp_path / "c.pdf", ["宗地 D", "宗地 E", "宗地 F"])
    before = [open(p, "rb").read() for p in (a, b, c)]
    target = str(tmp_path / "all.pdf")
    assert join_pdfs([a, b, c], target) == 6
    assert [open(p, "rb").read() for p in (a, b, c)] == before  # the parts are only read
    assert pdf_problem(target) is None and page_count(target) == 6
    assert text_of(target) == ["宗地 A", "宗地 B", "宗地 C", "宗地 D", "宗地 E", "宗地 F"]
    info = subprocess.run(["pdfinfo", target], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert info.returncode == 0 and info.stderr == "" and re.search(r"Pages:\s+6", info.stdout)
    # the printer then adds its bookmarks to the joined file, as to a file Qt wrote
    add_pdf_outline(target, [("甲", 0), ("乙", 2), ("丙", 3)])
    assert read_pdf_outline(target) == [("甲", 0), ("乙", 2), ("丙", 3)]
    assert text_of(target)[2] == "宗地 C"
    # every page renders (the image of each part is there)
    out = subprocess.run(["pdftoppm", "-r", "20", "-png", target, str(tmp_path / "p")], stderr=subprocess.PIPE)
    assert out.returncode == 0 and out.stderr == b""
    assert len([n for n in os.listdir(tmp_path) if n.startswith("p-")]) == 6


def test_renumber_leaves_strings_and_stream_data_alone():
    from landeval_plugin.core.formats.pdf_join import PdfJoinError, renumber

    body = (b"\n<<\n/Parent 3 0 R /T (a (nested) 3 0 R \\) 4 0 R) /H <3 0 52> /K [4 0 R 3 0 R]\n"
            b"/Length 7 0 R\n>>\nstream\n3 0 R 4 0 R\nendstream\n")
    out = renumber(body, {3: 10, 4: 11, 7: 12})
    assert out == (b"\n<<\n/Parent 10 0 R /T (a (nested) 3 0 R \\) 4 0 R) /H <3 0 52> /K [11 0 R 10 0 R]\n"
                   b"/Length 12 0 R\n>>\nstream\n3 0 R 4 0 R\nendstream\n")
    with pytest.raises(PdfJoinError):
        renumber(b"<< /P 9 0 R >>", {3: 10})


def test_what_it_cannot_join_is_refused_before_writing(qgis_app, tmp_path):
    from landeval_plugin.core.formats.pdf_join import PdfJoinError, join_pdfs
    from landeval_plugin.core.formats.pdf_outline import add_pdf_outline

    a = qt_pdf(tmp_path / "a.pdf", ["一"])
    updated = qt_pdf(tmp_path / "u.pdf", ["二"])
    add_pdf_outline(updated, [("x", 0)])  # an incremental update (/Prev)
    target = tmp_path / "all.pdf"
    with pytest.raises(PdfJoinError):
        join_pdfs([a, updated], str(target))
    assert not target.exists()
    inherit = tmp_path / "i.pdf"
    data = open(a, "rb").read()
    inherit.write_bytes(re.sub(rb"/Type /Pages", b"/Type /Pages /Rotate 90", data, count=1))
    with pytest.raises(PdfJoinError):
        join_pdfs([str(inherit)], str(target))
    assert not target.exists()


def xref_stream_pdf(path):
    """A one-page PDF whose cross-reference is a stream (PDF 1.5), built by hand."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    data, offsets = bytearray(b"%PDF-1.5\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(data)
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(b"\x01" + off.to_bytes(4, "big") + b"\x00\x00"
                                                      for off in offsets + [start])
    data += (b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
             + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)
    path.write_bytes(bytes(data))
    return str(path)


def test_the_shared_xref_parser_reads_an_incremental_update(qgis_app, tmp_path):
    """core/formats/pdf_xref.py serves the outline (whole /Prev chain) and the join (newest section)."""
    from landeval_plugin.core.formats.pdf_outline import add_pdf_outline, read_pdf_outline
    from landeval_plugin.core.formats.pdf_xref import read_xref

    path = qt_pdf(tmp_path / "u.pdf", ["一", "二"])
    size0 = os.path.getsize(path)
    with open(path, "rb") as fh:
        before = read_xref(fh, size0)
    assert before.sections == [before.start] and b"/Prev" not in before.trailer
    assert add_pdf_outline(path, [("甲", 0), ("乙", 1)]) == 2
    data = open(path, "rb").read()
    with open(path, "rb") as fh:
        chained = read_xref(fh, len(data))
        newest = read_xref(fh, len(data), chain=False)
    # two sections, newest first; the newest trailer points back to the first one
    assert chained.sections == [newest.start, before.start] and newest.start > size0
    assert re.search(rb"/Prev\s+%d\b" % before.start, chained.trailer) and chained.trailer == newest.trailer
    # the newest section holds the update's objects (the catalog again, the outline and its items) ...
    root = int(re.search(rb"/Root\s+(\d+)", newest.trailer).group(1))
    assert root in newest.offsets and newest.offsets[root] >= size0
    assert len(newest.offsets) == 1 + 1 + 2 and min(newest.offsets.values()) >= size0
    # ... the chain every object, the catalog where the update put it, the others where Qt did
    assert set(chained.offsets) == set(before.offsets) | set(newest.offsets)
    assert chained.offsets[root] == newest.offsets[root] != before.offsets[root]
    assert all(chained.offsets[n] == before.offsets[n] for n in before.offsets if n != root)
    assert set(chained.generations.values()) == {0}
    for number, offset in chained.offsets.items():  # every offset is where its object starts
        assert data[offset:].startswith(b"%d 0 obj" % number), number
    assert read_pdf_outline(path) == [("甲", 0), ("乙", 1)]
    # an update of an update: the outline's writer reads the whole chain as well
    assert add_pdf_outline(path, [("丙", 1)]) == 1
    assert read_pdf_outline(path) == [("丙", 1)]
    with open(path, "rb") as fh:
        assert len(read_xref(fh, os.path.getsize(path)).sections) == 3


def test_the_join_still_refuses_with_its_messages(qgis_app, tmp_path):
    """Generation other than 0, an incremental update (/Prev), a cross-reference stream, no startxref."""
    from landeval_plugin.core.formats.pdf_join import PdfJoinError, join_pdfs, page_count

    a = qt_pdf(tmp_path / "a.pdf", ["一"])
    generation = tmp_path / "g.pdf"
    data = open(a, "rb").read()
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    table = data[start:].replace(b" 00000 n", b" 00001 n", 1)  # same length: every offset stays right
    generation.write_bytes(data[:start] + table)
    updated = qt_pdf(tmp_path / "u.pdf", ["二"])
    from landeval_plugin.core.formats.pdf_outline import add_pdf_outline

    add_pdf_outline(updated, [("x", 0)])
    stream = xref_stream_pdf(tmp_path / "s.pdf")
    info = subprocess.run(["pdfinfo", stream], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert info.returncode == 0 and re.search(r"Pages:\s+1", info.stdout), info.stderr  # a valid PDF
    cut = tmp_path / "c.pdf"
    cut.write_bytes(data[:start])
    target = tmp_path / "all.pdf"
    for part, message in ((str(generation), "object generation other than 0"),
                          (updated, "an incremental update or an encrypted file"),
                          (stream, "no classic cross-reference table"),
                          (str(cut), "no startxref")):
        sha = open(part, "rb").read()
        with pytest.raises(PdfJoinError) as refused:
            join_pdfs([a, part], str(target))
        assert str(refused.value) == "{}: {}".format(part, message)
        assert not target.exists() and open(part, "rb").read() == sha
    assert page_count(a) == 1 and join_pdfs([a, a], str(target)) == 2  # the good part alone still joins
