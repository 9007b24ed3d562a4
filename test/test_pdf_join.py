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
