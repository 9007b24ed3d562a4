"""File and sheet names made from parcel codes, safe on every file system.

Parcel codes arrive with slashes (330122/001), colons, spaces, Windows reserved names
(CON, NUL, COM1 ...), trailing dots, or hundreds of characters. Names keep Chinese
characters, replace what Windows, macOS or Linux forbid, stay under a byte budget and are
made unique case-insensitively (Windows and macOS file systems fold case).
"""
import hashlib
import re

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {"COM%d" % i for i in range(10)} | {
    "LPT%d" % i for i in range(10)}
MAX_STEM_BYTES = 150  # leaves room for folder, suffix and extension under common 255-byte limits


def _truncate_utf8(text, max_bytes):
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", errors="ignore")


def safe_stem(code, fallback="parcel"):
    """A file stem for ``code`` that every common file system accepts (not yet unique)."""
    text = "" if code is None else str(code)
    text = _FORBIDDEN.sub("_", text).strip()
    text = re.sub(r"\s+", "_", text)
    text = text.rstrip(". ")  # Windows drops trailing dots and spaces
    text = text.lstrip(".")   # no hidden files
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    if len(text.encode("utf-8")) > MAX_STEM_BYTES:
        digest = hashlib.sha1(str(code).encode("utf-8")).hexdigest()[:8]
        text = _truncate_utf8(text, MAX_STEM_BYTES - 9).rstrip(". ") + "_" + digest
    return text


class UniqueNames:
    """Hands out unique stems: the second 'A/1' becomes 'A_1_2', case-insensitively."""

    def __init__(self, taken=()):
        self._taken = {t.lower() for t in taken}

    def stem(self, code, fallback="parcel"):
        base = safe_stem(code, fallback)
        candidate = base
        n = 2
        while candidate.lower() in self._taken:
            candidate = "{}_{}".format(base, n)
            n += 1
        self._taken.add(candidate.lower())
        return candidate


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")  # control characters would break the file


def sheet_title(code, taken):
    """An Excel sheet name (≤ 31 characters, no []:*?/\\ or control characters, unique
    case-insensitively)."""
    text = _SHEET_FORBIDDEN.sub("_", "" if code is None else str(code)).strip("'") or "sheet"
    text = text[:31]
    candidate = text
    n = 2
    lowered = {t.lower() for t in taken}
    while candidate.lower() in lowered or candidate.lower() == "history":
        suffix = "_{}".format(n)
        candidate = text[: 31 - len(suffix)] + suffix
        n += 1
    taken.append(candidate)
    return candidate
