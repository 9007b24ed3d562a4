"""PDF bookmarks (outline) added to, and read back from, a PDF that QGIS wrote (classic xref tables)."""
import os
import re

from .pdf_xref import read_xref


# ---------------------------------------------------------------------------- PDF bookmarks
def _pdf_text(text):
    """A PDF text string (UTF-16BE with BOM, hex) so Chinese titles show in every viewer."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _read_xref(fh, size):
    """{object number: offset} (every section of the update chain), the newest trailer's text
    and the newest section's offset of a classic-xref PDF (as Qt writes)."""
    table = read_xref(fh, size)
    return table.offsets, table.trailer.decode("latin-1"), table.start


def _read_object(fh, offset):
    fh.seek(offset)
    chunk = b""
    while b"endobj" not in chunk:
        data = fh.read(4096)
        if not data:
            break
        chunk += data
    text = chunk.decode("latin-1")
    return text[: text.index("endobj")]


def add_pdf_outline(path, entries, title=""):
    """Append bookmarks (title, 0-based page) to a PDF by an incremental update.

    QGIS's exporter (Qt's PDF engine) writes no outline; an incremental update adds the
    outline and a new catalog after the original bytes, so the pages are not rewritten
    and memory stays flat however many sheets the file holds.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        offsets, trailer, xref_start = _read_xref(fh, size)
        root = int(re.search(r"/Root\s+(\d+)\s+0\s+R", trailer).group(1))
        info = re.search(r"/Info\s+(\d+)\s+0\s+R", trailer)
        catalog = _read_object(fh, offsets[root])
        pages_ref = int(re.search(r"/Pages\s+(\d+)\s+0\s+R", catalog).group(1))
        kids = []
        stack = [pages_ref]
        while stack:  # walk the page tree in order
            node = _read_object(fh, offsets[stack.pop(0)])
            match = re.search(r"/Kids\s*\[([^\]]*)\]", node)
            if match and "/Pages" in node:
                refs = [int(r) for r in re.findall(r"(\d+)\s+0\s+R", match.group(1))]
                children = []
                for r in refs:
                    child = _read_object(fh, offsets[r])
                    if re.search(r"/Type\s*/Pages\b", child):
                        children.append(r)
                    else:
                        kids.append(r)
                stack = children + stack
    entries = [(t, p) for t, p in entries if 0 <= p < len(kids)]
    if not entries:
        return 0
    next_num = max(max(offsets), root, pages_ref) + 1
    outline_num = next_num
    item_nums = list(range(next_num + 1, next_num + 1 + len(entries)))
    body = catalog[catalog.index("<<") + 2: catalog.rindex(">>")]
    body = re.sub(r"/Outlines\s+\d+\s+0\s+R", "", body)
    body = re.sub(r"/PageMode\s*/\w+", "", body)
    objects = {root: "<<{}\n/Outlines {} 0 R\n/PageMode /UseOutlines\n>>".format(body, outline_num)}
    objects[outline_num] = "<<\n/Type /Outlines\n/First {} 0 R\n/Last {} 0 R\n/Count {}\n>>".format(
        item_nums[0], item_nums[-1], len(item_nums))
    for k, ((text, page), num) in enumerate(zip(entries, item_nums)):
        parts = ["/Title " + _pdf_text(text), "/Parent {} 0 R".format(outline_num),
                 "/Dest [{} 0 R /XYZ null null null]".format(kids[page])]
        if k > 0:
            parts.append("/Prev {} 0 R".format(item_nums[k - 1]))
        if k + 1 < len(item_nums):
            parts.append("/Next {} 0 R".format(item_nums[k + 1]))
        objects[num] = "<<\n" + "\n".join(parts) + "\n>>"
    with open(path, "ab") as out:
        pos = size
        with open(path, "rb") as check:
            check.seek(size - 1)
            needs_newline = check.read(1) not in (b"\n", b"\r")
        if needs_newline:
            out.write(b"\n")
            pos += 1
        new_offsets = {}
        for num in sorted(objects):
            data = "{} 0 obj\n{}\nendobj\n".format(num, objects[num]).encode("latin-1")
            new_offsets[num] = pos
            out.write(data)
            pos += len(data)
        xref = ["xref", "0 1", "0000000000 65535 f "]
        nums = sorted(new_offsets)
        groups, group = [], [nums[0]]
        for num in nums[1:]:
            if num == group[-1] + 1:
                group.append(num)
            else:
                groups.append(group)
                group = [num]
        groups.append(group)
        for g in groups:
            xref.append("{} {}".format(g[0], len(g)))
            xref.extend("{:010d} 00000 n ".format(new_offsets[n]) for n in g)
        trailer_parts = ["/Size {}".format(item_nums[-1] + 1), "/Root {} 0 R".format(root),
                         "/Prev {}".format(xref_start)]
        if info:
            trailer_parts.append("/Info {} 0 R".format(info.group(1)))
        text = ("\n".join(xref) + "\ntrailer\n<<\n" + "\n".join(trailer_parts)
                + "\n>>\nstartxref\n{}\n%%EOF\n".format(pos))
        out.write(text.encode("latin-1"))
    return len(entries)


def read_pdf_outline(path):
    """[(title, 0-based page)] of a PDF's top-level bookmarks (for checks and tests)."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        offsets, trailer, _ = _read_xref(fh, size)  # every section, newest first
        trailer_root = int(re.search(r"/Root\s+(\d+)", trailer).group(1))
        catalog = _read_object(fh, offsets[trailer_root])
        outlines = re.search(r"/Outlines\s+(\d+)\s+0\s+R", catalog)
        if not outlines:
            return []
        pages_ref = int(re.search(r"/Pages\s+(\d+)\s+0\s+R", catalog).group(1))
        kids_text = re.search(r"/Kids\s*\[([^\]]*)\]", _read_object(fh, offsets[pages_ref])).group(1)
        kids = [int(r) for r in re.findall(r"(\d+)\s+0\s+R", kids_text)]
        node = _read_object(fh, offsets[int(outlines.group(1))])
        current = re.search(r"/First\s+(\d+)", node)
        result = []
        while current:
            item = _read_object(fh, offsets[int(current.group(1))])
            hexed = re.search(r"/Title\s*<FEFF([0-9A-F]*)>", item).group(1)
            dest = int(re.search(r"/Dest\s*\[\s*(\d+)", item).group(1))
            result.append((bytes.fromhex(hexed).decode("utf-16-be"), kids.index(dest)))
            current = re.search(r"/Next\s+(\d+)", item)
        return result
