"""统一社会信用代码 (unified social credit code) per GB 32100-2015.

18 characters from the 31-character set 0-9 A-Z without I O Z S V; the 18th is a check
character: C18 = 31 - (sum(Ci * Wi) mod 31) over the first 17 (31 -> '0'), with weights
Wi = 3^(i-1) mod 31. Used to flag invalid codes in enterprise workbooks and link tables.
"""
import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}


def normalise(code):
    """Upper case, full-width folded to half-width, spaces removed; None stays None."""
    if code is None:
        return None
    text = unicodedata.normalize("NFKC", str(code)).upper()
    return "".join(text.split())


def check_digit(first17):
    """The check character for the first 17 characters of a code (ValueError if not 17 valid chars)."""
    body = normalise(first17)
    if body is None or len(body) != 17:
        raise ValueError("need 17 characters, got {!r}".format(first17))
    total = 0
    for ch, weight in zip(body, WEIGHTS):
        if ch not in _VALUE:
            raise ValueError("character {!r} not allowed in a credit code".format(ch))
        total += _VALUE[ch] * weight
    return CHARSET[(31 - total % 31) % 31]


def problem(code):
    """None when ``code`` is a valid credit code, else a short English reason key.

    Keys: 'empty', 'length', 'charset', 'check'. (The caller translates them.)
    """
    text = normalise(code)
    if not text:
        return "empty"
    if len(text) != 18:
        return "length"
    if any(ch not in _VALUE for ch in text):
        return "charset"
    if check_digit(text[:17]) != text[17]:
        return "check"
    return None


def is_valid(code):
    """True when ``code`` has 18 allowed characters and the right check character."""
    return problem(code) is None
