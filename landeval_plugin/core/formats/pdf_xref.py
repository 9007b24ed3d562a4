"""The classic cross-reference table of a PDF (as Qt's PDF writer and this package write them).

One parser for the PDF outline (core/formats/pdf_outline.py: reads and adds bookmarks, follows the
chain of incremental updates) and the PDF join (core/formats/pdf_join.py: reads one section and
refuses, itself, what it cannot join). Cross-reference streams are not read.
"""
import re

_TAIL = 2048
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)")
_ENTRY = re.compile(rb"\s*(\d{10})\s+(\d{5})\s+([nf])")
_PREV = re.compile(rb"/Prev\s+(\d+)")


class XrefTable:
    """What the cross-reference sections of a file say.

    ``offsets``: {object number: byte offset} of the objects in use (the newest section wins);
    ``generations``: {object number: generation} of the same objects; ``trailer``: the newest
    trailer's bytes (from ``trailer`` to ``startxref``); ``start``: the newest section's offset;
    ``sections``: the offsets of the sections read, newest first.
    """

    def __init__(self):
        self.offsets = {}
        self.generations = {}
        self.trailer = b""
        self.start = None
        self.sections = []


def last_startxref(fh, size):
    """The offset after the file's last ``startxref`` (ValueError: none in its last bytes)."""
    fh.seek(max(0, size - _TAIL))
    found = _STARTXREF.findall(fh.read())
    if not found:
        raise ValueError("no startxref")
    return int(found[-1])


def _read_section(fh, start, end):
    """(entries [(number, offset, generation, in use)], trailer bytes) of the section at ``start``."""
    fh.seek(start)
    data = fh.read(end - start)
    if not data.startswith(b"xref"):
        raise ValueError("no classic cross-reference table")
    head_end = data.find(b"trailer")
    if head_end < 0:
        raise ValueError("a cross-reference table without trailer")
    entries = []
    pos, stop = 4, head_end
    while True:
        m = _SUBSECTION.match(data, pos, stop)
        if m is None:
            break
        first, count = int(m.group(1)), int(m.group(2))
        pos = m.end()
        for k in range(count):
            e = _ENTRY.match(data, pos, stop)
            if e is None:
                raise ValueError("a cross-reference entry of object {} cannot be read".format(first + k))
            entries.append((first + k, int(e.group(1)), int(e.group(2)), e.group(3) == b"n"))
            pos = e.end()
    if data[pos:head_end].strip():
        raise ValueError("a cross-reference table that cannot be read")
    tail = data.find(b"startxref", head_end)
    return entries, data[head_end: tail if tail >= 0 else len(data)]


def read_xref(fh, size, chain=True):
    """The cross-reference table of the file open in ``fh`` (``size`` bytes): the newest
    section, and with ``chain`` every older section its trailers' /Prev lead to (an
    incremental update). ValueError when it is not a classic table or cannot be read."""
    table = XrefTable()
    start = last_startxref(fh, size)
    seen = set()
    while start is not None:
        if start in table.sections or not 0 <= start < size:
            raise ValueError("a /Prev chain that loops or leaves the file")
        # a section ends before the next newer one (an incremental update appends after it)
        end = min([s for s in table.sections if s > start] or [size])
        entries, trailer = _read_section(fh, start, end)
        table.sections.append(start)
        if table.start is None:
            table.start, table.trailer = start, trailer
        for number, offset, generation, used in entries:
            if number in seen:
                continue  # a newer section said where this object is (or that it is free)
            seen.add(number)
            if used:
                table.offsets[number] = offset
                table.generations[number] = generation
        prev = _PREV.search(trailer) if chain else None
        start = int(prev.group(1)) if prev else None
    return table
