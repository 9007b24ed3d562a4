"""Joining PDFs that QGIS wrote (Qt's PDF writer: classic xref tables) into one, pages in order.

The printer's workers (core/dossiers/pool.py) each print a slice of the sheets into a part; this
joins the parts without decoding any content: every object of every part is copied byte for byte
under a new number, its references renumbered outside strings and stream data; the parts' page
trees become one (the pages keep their own resources), the first part's catalog and document
information stay. Objects are read one at a time: memory stays flat however big the parts are.
Each part keeps its own font subsets and images (about 100 KB a part for the default sheet).

What it cannot join (an encrypted part, an incremental update, a cross-reference stream, a page
tree root with attributes its pages inherit) raises PdfJoinError before the target is written.
"""
import os
import re

from .pdf_xref import read_xref


class PdfJoinError(ValueError):
    """A part this joiner cannot handle (the caller prints in one process instead)."""


_TOKENS = re.compile(rb"(?P<str>\()|(?P<hex>(?<!<)<(?!<))|(?P<com>%)|(?P<stream>(?<=[\s>])stream(?:\r\n|\n|\r))"
                     rb"|(?<![\w.+\-/])(?P<num>\d+)\s+(?P<gen>\d+)\s+R(?![\w])")
_INHERITED = (b"/Resources", b"/MediaBox", b"/CropBox", b"/Rotate")


def _string_end(data, start):
    """Index after the literal string that opens at ``data[start]`` == '('."""
    depth, i, n = 0, start, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise PdfJoinError("unterminated string")


def renumber(data, mapping):
    """``data`` (an object's bytes after its ``N 0 obj`` header) with every reference ``n g R``
    outside strings, comments and stream data replaced by ``mapping[n] 0 R``."""
    out, pos = [], 0
    while True:
        m = _TOKENS.search(data, pos)
        if m is None:
            out.append(data[pos:])
            break
        kind = m.lastgroup if m.lastgroup != "gen" else "num"
        if kind == "str":
            end = _string_end(data, m.start())
        elif kind == "hex":
            end = data.index(b">", m.start()) + 1
        elif kind == "com":
            nl = re.compile(rb"[\r\n]").search(data, m.start())
            end = nl.start() if nl else len(data)
        elif kind == "stream":  # the rest is stream data and endstream: copied as it is
            out.append(data[pos:])
            break
        else:
            number = int(m.group("num"))
            if number not in mapping:
                raise PdfJoinError("reference to object {} that the part does not hold".format(number))
            out.append(data[pos:m.start()])
            out.append(b"%d 0 R" % mapping[number])
            pos = m.end()
            continue
        out.append(data[pos:end])
        pos = end
    return b"".join(out)


class _Part:
    """One part's cross-reference table, trailer and objects (read on demand)."""

    def __init__(self, path):
        self.path = path
        self.fh = open(path, "rb")
        try:
            # the newest section only: a /Prev in its trailer is refused below, not followed
            table = read_xref(self.fh, os.path.getsize(path), chain=False)
        except ValueError as exc:  # no startxref, no classic table (a cross-reference stream)
            raise PdfJoinError("{}: {}".format(path, exc)) from None
        self.xref_start, trailer = table.start, table.trailer
        if re.search(rb"/(Prev|Encrypt|XRefStm)\b", trailer):
            raise PdfJoinError("{}: an incremental update or an encrypted file".format(path))
        if any(generation != 0 for generation in table.generations.values()):
            raise PdfJoinError("{}: object generation other than 0".format(path))
        self.offsets = table.offsets
        self.root = self._ref(trailer, b"/Root")
        self.info = self._ref(trailer, b"/Info", optional=True)
        ends = sorted(self.offsets.values()) + [self.xref_start]
        self.ends = {off: ends[k + 1] for k, off in enumerate(ends[:-1])}
        self.catalog = self.body(self.root)
        self.pages = self._ref(self.catalog, b"/Pages")
        self.metadata = self._ref(self.catalog, b"/Metadata", optional=True)
        node = self.body(self.pages)
        if any(re.search(re.escape(key) + rb"\b", node) for key in _INHERITED):
            raise PdfJoinError("{}: the page tree root holds attributes its pages inherit".format(path))
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", node)
        count = re.search(rb"/Count\s+(\d+)", node)
        if kids is None or count is None:
            raise PdfJoinError("{}: no page tree".format(path))
        self.kids = [int(r) for r in re.findall(rb"(\d+)\s+\d+\s+R", kids.group(1))]
        self.count = int(count.group(1))

    def _ref(self, text, key, optional=False):
        m = re.search(re.escape(key) + rb"\s+(\d+)\s+\d+\s+R", text)
        if m is None:
            if optional:
                return None
            raise PdfJoinError("{}: no {}".format(self.path, key.decode()))
        return int(m.group(1))

    def body(self, number):
        """The bytes of object ``number`` between ``N 0 obj`` and ``endobj``."""
        offset = self.offsets[number]
        self.fh.seek(offset)
        raw = self.fh.read(self.ends[offset] - offset)
        m = re.match(rb"\s*(\d+)\s+(\d+)\s+obj", raw)
        if m is None or int(m.group(1)) != number:
            raise PdfJoinError("{}: object {} is not where the table says".format(self.path, number))
        end = raw.rfind(b"endobj")
        if end < 0:
            raise PdfJoinError("{}: object {} has no endobj".format(self.path, number))
        return raw[m.end():end]

    def close(self):
        self.fh.close()


def join_pdfs(parts, target):
    """Write the pages of the PDFs ``parts`` (in that order) into one PDF ``target``; returns its
    page count. Raises PdfJoinError (nothing written) for a part it cannot join, OSError when a
    file cannot be read or written."""
    opened = []
    try:
        for path in parts:
            opened.append(_Part(path))
        if not opened:
            raise PdfJoinError("no parts")
        # numbers: 1 the catalog, 2 the page tree, then every kept object of every part in turn
        mappings, skip, number = [], [], 3
        for k, part in enumerate(opened):
            dropped = {part.root, part.pages}
            if k > 0:
                dropped |= {n for n in (part.info, part.metadata) if n is not None}
            mapping = {part.pages: 2, part.root: 1}
            for old in sorted(part.offsets):
                if old not in dropped:
                    mapping[old] = number
                    number += 1
            mappings.append(mapping)
            skip.append(dropped)
        total = sum(p.count for p in opened)
        kids = [mappings[k][kid] for k, part in enumerate(opened) for kid in part.kids]
        offsets = {}
        with open(target, "wb") as out:
            out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

            def put(num, body):
                offsets[num] = out.tell()
                out.write(b"%d 0 obj" % num)
                out.write(body)
                if not body.endswith((b"\n", b"\r")):
                    out.write(b"\n")
                out.write(b"endobj\n")

            first = opened[0]
            put(1, renumber(first.body(first.root), mappings[0]))
            put(2, b"\n<<\n/Type /Pages\n/Kids \n[\n" + b"".join(b"%d 0 R\n" % n for n in kids)
                + b"]\n/Count %d\n>>\n" % total)
            for k, part in enumerate(opened):
                for old in sorted(part.offsets, key=part.offsets.get):
                    if old in skip[k]:
                        continue
                    put(mappings[k][old], renumber(part.body(old), mappings[k]))
            start = out.tell()
            lines = [b"xref", b"0 %d" % number, b"0000000000 65535 f "]
            lines += [b"%010d 00000 n " % offsets[n] for n in range(1, number)]
            trailer = b"/Size %d\n/Root 1 0 R" % number
            if first.info is not None:
                trailer += b"\n/Info %d 0 R" % mappings[0][first.info]
            out.write(b"\n".join(lines) + b"\ntrailer\n<<\n" + trailer + b"\n>>\nstartxref\n%d\n%%%%EOF\n" % start)
        return total
    finally:
        for part in opened:
            part.close()


def page_count(path):
    """Pages of a PDF this module can read (tests and checks)."""
    part = _Part(path)
    try:
        return part.count
    finally:
        part.close()
