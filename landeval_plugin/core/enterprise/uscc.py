"""统一社会信用代码 (unified social credit code, GB 32100-2015) check digits.

An 18-character code: 登记管理部门码 (1) + 机构类别码 (1) + 登记管理机关行政区划码 (6)
+ 主体标识码 (9, the old organisation code with its own GB 11714 check digit) + 校验码 (1).
The alphabet is 0-9 and the capital letters without I, O, S, V, Z; the check digit is
31 - (sum of value x weight mod 31), where 31 becomes 0.

Data from statistics and tax bureaus carries typing errors; ``is_valid`` lets the data step
report them by row instead of silently joining the wrong enterprise.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714 organisation code (the 9 characters at positions 9-17)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_value(ch):
    if ch.isdigit():
        return int(ch)
    return ord(ch) - ord("A") + 10


def org_check_digit(body8):
    """Check character of an 8-character organisation code body (GB 11714)."""
    body8 = body8.upper()
    if len(body8) != 8 or any(c not in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" for c in body8):
        raise ValueError("organisation code body must be 8 characters of 0-9/A-Z: {!r}".format(body8))
    c9 = 11 - sum(_org_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS)) % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def check_digit(code17):
    """The 18th character for the first 17 characters of a credit code."""
    code17 = code17.upper()
    if len(code17) != 17:
        raise ValueError("need the first 17 characters of a credit code, got {!r}".format(code17))
    try:
        total = sum(_VALUE[c] * w for c, w in zip(code17, WEIGHTS))
    except KeyError as exc:
        raise ValueError("character {} is not allowed in a credit code".format(exc)) from None
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code):
    """Upper case without spaces, hyphens or full-width characters; None for empty input."""
    if code is None:
        return None
    text = str(code).strip()
    # full-width ASCII (Ａ-Ｚ, ０-９) to half-width
    text = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)
    text = text.replace(" ", "").replace("-", "").replace("\u3000", "").upper()
    return text or None


def is_valid(code):
    """True when ``code`` is 18 allowed characters with a correct GB 32100-2015 check digit."""
    if not isinstance(code, str) or len(code) != 18:
        return False
    if any(c not in _VALUE for c in code):
        return False
    return check_digit(code[:17]) == code[17]


def make(registration="9", kind="1", region="330122", org_body8="00000000"):
    """A valid credit code from its parts (the organisation check digit is computed too)."""
    org = org_body8.upper() + org_check_digit(org_body8)
    code17 = registration + kind + region + org
    return code17 + check_digit(code17)


# ---- used by the data step (issue 4) ------------------------------------------------------
CHARSET = ALPHABET


def problem(code):
    """None when ``code`` is a valid credit code, else why not: 'empty', 'length', 'charset'
    or 'check' (the data step's report translates these). Input is normalised first."""
    text = normalize(code)
    if not text:
        return "empty"
    if len(text) != 18:
        return "length"
    if any(ch not in _VALUE for ch in text):
        return "charset"
    if check_digit(text[:17]) != text[17]:
        return "check"
    return None
