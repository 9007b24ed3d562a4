"""Land-use classes that count as 产业用地, from the editable presets in resources/landuse/*.yaml.

Real layers carry codes (``100101``, ``0601``, ``M1``), names (``一类工业用地``) or both
(``M1 一类工业用地``, ``工业用地(0601)``); a value counts when a code token equals a listed code
or its name part equals, or else contains, a listed name. The result is the normalised class
工业 / 仓储 / 研发, or None outside the filter.
"""
import glob
import os
import re
import unicodedata

from .. import paths
from ..files import load_yaml

try:  # values straight from QGIS features may be NULL QVariants
    from qgis.PyQt.QtCore import QVariant
except ImportError:  # pragma: no cover
    QVariant = None

CLASSES = ("工业", "仓储", "研发")
ALL = "all"
_CODE_TOKEN_RE = re.compile(r"(?<![A-Z0-9])([A-Z]{1,2}[0-9]{0,3}|[0-9]{2,8})(?![A-Z0-9])")
_PUNCT_RE = re.compile(r"[\s()（）\[\]【】:：,，;；/\\\-_.、]+")


def normalise_value(value):
    """Full-width to half-width, upper case, trimmed; '' for missing."""
    if value is None:
        return ""
    if QVariant is not None and isinstance(value, QVariant) and value.isNull():
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    return "" if text in ("NULL", "NONE") else text


class Preset:
    def __init__(self, data, path):
        self.key = data["key"]
        self.name = data.get("name", self.key)
        self.short = data.get("short", self.name)
        self.order = data.get("order", 99)
        self.path = path
        self.codes = {}
        self.names = {}
        for cls, spec in (data.get("classes") or {}).items():
            for code in (spec or {}).get("codes") or []:
                self.codes.setdefault(normalise_value(code), cls)
            for name in (spec or {}).get("names") or []:
                self.names.setdefault(normalise_value(name), cls)


def preset_dir():
    return paths.resource("landuse")


def presets():
    """[Preset] from resources/landuse/*.yaml in their ``order``."""
    result = []
    for path in sorted(glob.glob(os.path.join(preset_dir(), "*.yaml"))):
        data = load_yaml(path)
        if data and data.get("key"):
            result.append(Preset(data, path))
    result.sort(key=lambda p: (p.order, p.key))
    return result


def preset_keys():
    return [p.key for p in presets()]


class Classifier:
    """Classifies raw land-use values with one or several presets (all by default)."""

    def __init__(self, keys=None):
        chosen = presets()
        if keys and keys != ALL and ALL not in (keys if isinstance(keys, (list, tuple)) else [keys]):
            wanted = [keys] if isinstance(keys, str) else list(keys)
            unknown = [k for k in wanted if k not in {p.key for p in chosen}]
            if unknown:
                raise ValueError("unknown land-use preset: " + ", ".join(unknown))
            chosen = [p for p in chosen if p.key in wanted]
        self.presets = chosen
        self.codes = {}
        self.names = {}
        for preset in chosen:  # the first preset listing a code or name decides its class
            for code, cls in preset.codes.items():
                self.codes.setdefault(code, cls)
            for name, cls in preset.names.items():
                self.names.setdefault(name, cls)
        self._names_longest_first = sorted(self.names, key=len, reverse=True)
        self._cache = {}

    def classify(self, value):
        """工业/仓储/研发 for a raw value, or None (also for a missing value)."""
        text = normalise_value(value)
        if not text:
            return None
        if text in self._cache:
            return self._cache[text]
        result = self._classify(text)
        if len(self._cache) < 100000:
            self._cache[text] = result
        return result

    def _classify(self, text):
        if text in self.codes:
            return self.codes[text]
        if text in self.names:
            return self.names[text]
        tokens = _CODE_TOKEN_RE.findall(text)
        for token in tokens:
            if token in self.codes:
                return self.codes[token]
        name_part = _PUNCT_RE.sub("", _CODE_TOKEN_RE.sub("", text))
        if name_part in self.names:
            return self.names[name_part]
        for name in self._names_longest_first:
            if name and name in name_part:
                return self.names[name]
        return None
