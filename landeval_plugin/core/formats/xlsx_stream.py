"""Worksheets of openpyxl's write-only workbooks written row by row with the standard library.

LandEval makes openpyxl use its standard-library XML writer (compat.prefer_stdlib_xlsx_writer: lxml's
crashed on QGIS 3.40). That writer, et_xmlfile 1.x's ``xmlfile``, builds each worksheet as one
ElementTree in memory and serialises it when the sheet is closed: a write-only sheet of 150,000
rows × 36 cells held about 2 GB. ``streamed_worksheets()`` lets openpyxl write through
``StreamingXmlfile`` instead, which writes the rows as they come (256 at a time), with
ElementTree's own serialisation: the worksheet XML is the same, byte for byte (elements with a
namespace prefix of their own, which the sample sheets have none of, declare it themselves).

Only et_xmlfile 1's in-memory writer is replaced; lxml's writer and et_xmlfile 2 stream already and
are left alone; so is a writer this module does not know (``streamed_worksheets()`` then yields
the reason, for the caller's log).
"""
import importlib
import threading
from contextlib import contextmanager
from xml.etree.ElementTree import Element, tostring

_LOCK = threading.Lock()
_ACTIVE = [0, None]  # streams open, openpyxl's own xmlfile while they are


def _escape_text(text):
    out = Element("x")
    out.text = text
    return tostring(out)[3:-4]  # <x>…</x>: ElementTree's escaping and character references


class _StreamingWriter:
    """et_xmlfile's ``_FakeIncrementalFileWriter`` API (``element()``, ``write()``) writing the
    document as it comes instead of building it whole: the root and its element contexts (a sheet's
    ``worksheet`` and ``sheetData``) are written as start and end tags, everything inside them (a
    ``row`` and its cells) is built as the in-memory writer builds it and serialised by ElementTree
    once complete, ``BATCH`` at a time (one serialisation per cell would cost more than it saves)."""

    BATCH = 256
    STREAMED_DEPTH = 2  # element contexts at this depth and deeper are built, then written

    def __init__(self, output_file):
        self._file = output_file
        self._stack = []  # [Element, start tag written?] of the open element contexts
        self._pending = Element(None)  # complete elements not written yet (a tag-less container)
        self._have_root = False
        self._closed_root = False

    def _flush(self):
        if len(self._pending):
            self._file.write(tostring(self._pending))
            self._pending = Element(None)

    def _open_parent(self):
        entry = self._stack[-1]
        if not entry[1]:
            self._file.write(tostring(entry[0])[:-3] + b">")  # <tag a="…" /> → <tag a="…">
            entry[1] = True

    def _add(self, el):
        """A complete element into the innermost open element context."""
        if len(self._stack) > self.STREAMED_DEPTH:
            self._stack[-1][0].append(el)
        else:
            self._open_parent()
            self._pending.append(el)
            if len(self._pending) >= self.BATCH:
                self._flush()

    @contextmanager
    def element(self, tag, attrib=None, nsmap=None, **_extra):
        if self._closed_root and not self._stack:
            raise ValueError("an element after the document's root")
        self._have_root = True
        el = Element(tag, attrib=attrib or {}, **_extra)
        el.text, el.tail = "", ""  # as the in-memory writer makes them
        if self._stack and len(self._stack) < self.STREAMED_DEPTH:
            self._open_parent()
            self._flush()
        self._stack.append([el, False])
        yield
        el, started = self._stack.pop()
        if len(self._stack) >= self.STREAMED_DEPTH:
            self._add(el)
        else:
            self._flush()
            self._file.write(b"</" + el.tag.encode("ascii") + b">" if started else tostring(el))
        if not self._stack:
            self._closed_root = True

    def write(self, arg):
        if isinstance(arg, str):
            if not self._stack:
                raise ValueError("text outside of an element")
            if len(self._stack) > self.STREAMED_DEPTH:
                el = self._stack[-1][0]
                if len(el) == 0:
                    el.text += arg
                else:
                    el[-1].tail = (el[-1].tail or "") + arg
            elif arg:
                self._open_parent()
                self._flush()
                self._file.write(_escape_text(arg))
        elif self._stack:
            self._add(arg)
        elif not self._have_root:
            self._file.write(tostring(arg))
            self._closed_root = True
        else:
            raise ValueError("an element after the document's root")

    def __enter__(self):
        pass

    def __exit__(self, kind, value, traceback):
        if kind is None and not self._have_root:
            raise ValueError("a document without root")


class StreamingXmlfile:
    """Drop-in for ``et_xmlfile.xmlfile`` (a context manager giving the writer)."""

    def __init__(self, output_file, buffered=False, encoding=None, close=False):
        if isinstance(output_file, str):
            self._file = open(output_file, "wb")
            self._close = True
        else:
            self._file = output_file
            self._close = close

    def __enter__(self):
        return _StreamingWriter(self._file)

    def __exit__(self, kind, value, traceback):
        if self._close:
            self._file.close()


def _in_memory_writer():
    """(openpyxl's worksheet writer module, None) when it uses et_xmlfile's in-memory writer, else
    (None, why the sheets are left to openpyxl)."""
    try:
        et_module = importlib.import_module("et_xmlfile.xmlfile")  # the package's name is the class
        from openpyxl.worksheet import _writer
    except ImportError as exc:
        return None, str(exc)
    current = getattr(_writer, "xmlfile", None)
    if current is StreamingXmlfile:
        return _writer, None
    if getattr(current, "__module__", "").startswith("lxml"):
        return None, None  # lxml's writer streams
    if current is not getattr(et_module, "xmlfile", None):
        return None, "{}.{}".format(getattr(current, "__module__", "?"), getattr(current, "__name__", current))
    if not hasattr(et_module, "_FakeIncrementalFileWriter"):
        return None, None  # et_xmlfile 2 streams
    return _writer, None


@contextmanager
def streamed_worksheets():
    """While active, worksheets openpyxl starts writing (a write-only sheet: at its first row) are
    streamed. Yields None, or the reason why openpyxl's own writer is used."""
    with _LOCK:
        module, reason = _in_memory_writer()
        if module is not None:
            if _ACTIVE[0] == 0:
                _ACTIVE[1] = module.xmlfile
                module.xmlfile = StreamingXmlfile
            _ACTIVE[0] += 1
    try:
        yield reason
    finally:
        if module is not None:
            with _LOCK:
                _ACTIVE[0] -= 1
                if _ACTIVE[0] == 0:
                    module.xmlfile = _ACTIVE[1]
