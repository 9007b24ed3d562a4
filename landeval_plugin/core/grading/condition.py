"""LandEval's rule language, compiled to Python closures: the one language of every rule file a
planner edits — the conditions of standards (core/grading/standard.py), the ``when`` of disposal
rule sets (core/disposal/disposal.py) and the clusters' member filter (core/clusters/cluster.py).
docs/standards.md ("规则语言 / rule language") is the reference for planners.

Why not eval() or QgsExpression: a standard is a data file a district shares, so its
conditions must not run arbitrary code; and QgsExpression needs a QgsFeature and an
expression context per parcel, while the grading fast path reads plain values with sqlite3
and never builds features. Measured at 100,000 parcels (test/bench/bench_grade.py, evaluation
loop only, busy 2-core machine): QgsExpression 0.44 s, these closures 0.24 s. The syntax is
the familiar subset of QGIS expressions:

    tax_per_mu < low_tax and area_mu >= 20
    project_type in ('自用工业用地项目', '立项园区') and not violation
    lease_status = '擅自出租-拒不改正' or litigation or unfinished
    supply_date >= '1999-01-01' and industrial_use is not null and not industrial_use
    coalesce(grade_final, grade) = 'D'
    coalesce("low_eff_tags", '') LIKE '%占工非工%' and not @update_outside_line_needs_low_output

Names are standard field names (fields.yaml), ``<indicator>_y1`` / ``_y2``, a standard's
params and derived values, or any layer field written in double quotes ("my field");
``@name`` is a variable (a param, or a value the engine sets per parcel, e.g. a share).
Logic is three-valued like SQL: a comparison with a missing value is missing (None), and a
rule fires only when its condition is exactly true, so missing data never counts as zero.
"""
import math
import operator
import re

from ...i18n import tr


class ConditionError(ValueError):
    """A condition that cannot be parsed; the message names the text and position.

    ``position`` is the 1-based character offset in the condition text (None when the whole
    text is at fault); rule files add the file and the rule's key in front of the message.
    """

    def __init__(self, message, position=None):
        super().__init__(message)
        self.position = position


# parentheses, NOT, signs and function calls nest this deep at most (real conditions: 3 or 4);
# beyond it Python's recursion would fail with a RecursionError instead of a message
MAX_NESTING = 50
# AND/OR chains and arithmetic build a tree as deep as they are long (a AND b AND c ...):
# compiling and evaluating it recurses once per level, so the whole tree is bounded too
MAX_TREE_DEPTH = 200


_TOKEN_RE = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)
    | (?P<str>'(?:[^']|'')*')
    | (?P<qname>"(?:[^"]|"")*")
    | (?P<op>>=|<=|!=|<>|==|\|\||≥|≤|≠|[-+*/%(),<>=])
    | (?P<var>@[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*)
    | (?P<name>[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "is", "null", "true", "false", "like", "ilike"}
_OP_CANON = {"==": "=", "<>": "!=", "≥": ">=", "≤": "<=", "≠": "!="}
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
# (op, held) -> symbol shown in explanations: the relation that actually holds
_HELD = {
    (">=", True): "≥", (">=", False): "<", ("<", True): "<", ("<", False): "≥",
    (">", True): ">", (">", False): "≤", ("<=", True): "≤", ("<=", False): ">",
    ("=", True): "=", ("=", False): "≠", ("!=", True): "≠", ("!=", False): "=",
}
_SHOW = {">=": "≥", "<=": "≤", "!=": "≠", "=": "=", "<": "<", ">": ">"}


def _tokenize(text):
    pos, out = 0, []
    text = text or ""
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            at = pos + len(text[pos:]) - len(text[pos:].lstrip())
            raise ConditionError(tr("condition '{}': unexpected character '{}' at position {}").format(
                text, text[pos:].lstrip()[:1], at + 1), at + 1)
        kind = m.lastgroup
        value = m.group(kind)
        start = m.start(kind)
        if kind == "num":
            number = float(value)
            if not math.isfinite(number):
                raise ConditionError(tr("condition '{}': the number {} at position {} is not finite").format(
                    text, value, start + 1), start + 1)
            out.append(("num", number, start))
        elif kind == "str":
            out.append(("str", value[1:-1].replace("''", "'"), start))
        elif kind == "qname":
            out.append(("qname", value[1:-1].replace('""', '"'), start))
        elif kind == "op":
            out.append(("op", _OP_CANON.get(value, value), start))
        elif kind == "var":
            out.append(("var", value[1:], start))
        else:
            low = value.lower()
            out.append(("kw", low, start) if low in _KEYWORDS else ("name", value, start))
        pos = m.end()
    out.append(("end", None, len(text)))
    return out


# ---- AST ------------------------------------------------------------------------------
class Node:
    kind = ""

    def __init__(self, kind, *args):
        self.kind = kind
        self.args = args

    def __repr__(self):
        return "{}{}".format(self.kind, self.args)


def _tree_depth(root):
    """Depth of the tree, without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for a in node.args:
            if isinstance(a, Node):
                stack.append((a, depth + 1))
            elif isinstance(a, list):
                stack.extend((b, depth + 1) for b in a if isinstance(b, Node))
    return deepest


class _Parser:
    def __init__(self, text):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def nest(self, tok):
        """One level deeper (parenthesis, NOT, sign, function call); refused beyond MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionError(tr("condition '{}...': nested more than {} levels deep at position {}").format(
                self.text[:60], MAX_NESTING, tok[2] + 1), tok[2] + 1)

    def peek(self):
        return self.tokens[self.i]

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, what, tok=None):
        tok = tok or self.peek()
        near = tr("end") if tok[0] == "end" else repr(tok[1]) if tok[0] != "str" else "'{}'".format(tok[1])
        message = tr("condition '{}': {} at position {} (near {})").format(self.text, what, tok[2] + 1, near)
        return ConditionError(message, tok[2] + 1)

    def accept(self, kind, value=None):
        tok = self.peek()
        if tok[0] == kind and (value is None or tok[1] == value):
            self.i += 1
            return tok
        return None

    def expect(self, kind, value, what):
        tok = self.accept(kind, value)
        if tok is None:
            raise self.error(what)
        return tok

    def parse(self):
        if self.peek()[0] == "end":
            raise self.error(tr("empty condition"))
        node = self.or_expr()
        if self.peek()[0] != "end":
            raise self.error(tr("unexpected text"))
        if _tree_depth(node) > MAX_TREE_DEPTH:
            raise ConditionError(tr("condition '{}...': more than {} terms in a row; split it into derived values")
                                 .format(self.text[:60], MAX_TREE_DEPTH))
        return node

    def or_expr(self):
        node = self.and_expr()
        while self.accept("kw", "or"):
            node = Node("or", node, self.and_expr())
        return node

    def and_expr(self):
        node = self.not_expr()
        while self.accept("kw", "and"):
            node = Node("and", node, self.not_expr())
        return node

    def not_expr(self):
        tok = self.accept("kw", "not")
        if tok:
            self.nest(tok)
            node = Node("not", self.not_expr())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self):
        left = self.concat()
        tok = self.peek()
        if tok[0] == "op" and tok[1] in COMPARISONS:
            self.take()
            return Node("cmp", tok[1], left, self.concat())
        if tok[0] == "kw" and tok[1] == "is":
            self.take()
            negate = bool(self.accept("kw", "not"))
            self.expect("kw", "null", tr("expected NULL after IS"))
            return Node("isnull", left, negate)
        negate = False
        if tok[0] == "kw" and tok[1] == "not" and self.tokens[self.i + 1][0] == "kw" and \
                self.tokens[self.i + 1][1] in ("in", "like", "ilike"):
            self.take()
            negate = True
        like = self.accept("kw", "like") or self.accept("kw", "ilike")
        if like:
            return Node("like", left, self.concat(), negate, like[1] == "ilike")
        if self.accept("kw", "in"):
            self.expect("op", "(", tr("expected '(' after IN"))
            items = [self.additive()]
            while self.accept("op", ","):
                items.append(self.additive())
            self.expect("op", ")", tr("expected ')' to close the IN list"))
            return Node("in", left, items, negate)
        return left

    def concat(self):
        node = self.additive()
        while self.accept("op", "||"):
            node = Node("concat", node, self.additive())
        return node

    def additive(self):
        node = self.term()
        while True:
            tok = self.peek()
            if tok[0] == "op" and tok[1] in ("+", "-"):
                self.take()
                node = Node("arith", tok[1], node, self.term())
            else:
                return node

    def term(self):
        node = self.unary()
        while True:
            tok = self.peek()
            if tok[0] == "op" and tok[1] in ("*", "/", "%"):
                self.take()
                node = Node("arith", tok[1], node, self.unary())
            else:
                return node

    def unary(self):
        tok = self.accept("op", "-") or self.accept("op", "+")
        if tok:
            self.nest(tok)
            node = self.unary()
            self.depth -= 1
            return Node("neg", node) if tok[1] == "-" else node
        return self.primary()

    def primary(self):
        tok = self.take()
        kind, value = tok[0], tok[1]
        if kind == "num":
            return Node("const", value)
        if kind == "str":
            return Node("const", value)
        if kind == "kw" and value in ("true", "false"):
            return Node("const", value == "true")
        if kind == "kw" and value == "null":
            return Node("const", None)
        if kind == "op" and value == "(":
            self.nest(tok)
            node = self.or_expr()
            self.expect("op", ")", tr("missing ')'"))
            self.depth -= 1
            return node
        if kind == "qname":
            return Node("name", value, True)
        if kind == "var":
            return Node("var", value)
        if kind == "name":
            if self.accept("op", "("):
                fname = value.lower()
                if fname not in FUNCTIONS:
                    raise self.error(tr("unknown function '{}'").format(value), tok)
                args = []
                self.nest(tok)
                if not self.accept("op", ")"):
                    args.append(self.or_expr())
                    while self.accept("op", ","):
                        args.append(self.or_expr())
                    self.expect("op", ")", tr("missing ')' after function arguments"))
                self.depth -= 1
                lo, hi = FUNCTIONS[fname][1]
                if not lo <= len(args) <= hi:
                    raise self.error(tr("function '{}' takes {} to {} arguments").format(value, lo, hi), tok)
                return Node("call", fname, args)
            return Node("name", value, False)
        raise self.error(tr("expected a value"), tok)


# ---- evaluation -------------------------------------------------------------------------
def _is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _coerce_pair(a, b):
    """Make two non-null operands comparable: numbers with numeric strings, else as text."""
    if _is_num(a) and _is_num(b):
        return float(a), float(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return (a, b) if type(a) is type(b) else (None, None)
    if _is_num(a) or _is_num(b):
        try:
            return float(a), float(b)
        except (TypeError, ValueError):
            return None, None
    return str(a), str(b)


# Relative tolerance for numeric comparisons: a value computed exactly at a threshold from
# areas (亩 -> 公顷, square roots of areas ...) carries ~1e-15 float noise; it must count as
# reaching the threshold ("达到" means ≥), not as falling short of it.
REL_TOL = 1e-9


def compare(op, a, b):
    if a is None or b is None:
        return None
    a, b = _coerce_pair(a, b)
    if a is None:
        return None if op not in ("=", "!=") else op == "!="
    if a.__class__ is float and b.__class__ is float:
        tol = REL_TOL * max(abs(a), abs(b), 1.0)
        if op == ">=":
            return a >= b - tol
        if op == "<":
            return a < b - tol
        if op == ">":
            return a > b + tol
        if op == "<=":
            return a <= b + tol
        if op == "=":
            return abs(a - b) <= tol
        return abs(a - b) > tol
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


_OPS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_FAST = (str, float)


def _truth(v):
    """Three-valued truth of a value: True, False or None (missing)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if _is_num(v):
        return v != 0
    return bool(v)


def _f_coalesce(*args):
    for a in args:
        if a is not None:
            return a
    return None


def _num_fn(fn):
    def wrapped(*args):
        if any(a is None or not _is_num(a) for a in args):
            return None
        return fn(*args)
    return wrapped


FUNCTIONS = {
    "coalesce": (_f_coalesce, (1, 99)),
    "abs": (_num_fn(abs), (1, 1)),
    "min": (_num_fn(min), (1, 99)),
    "max": (_num_fn(max), (1, 99)),
    "round": (_num_fn(lambda x, n=0: round(x, int(n))), (1, 2)),
}


def _compile(node, resolve):
    k = node.kind
    if k == "const":
        v = node.args[0]
        return lambda row: v
    if k == "name":
        return resolve(node.args[0])
    if k == "var":
        return resolve("@" + node.args[0])
    if k == "not":
        f = _compile(node.args[0], resolve)

        def _not(row):
            t = _truth(f(row))
            return None if t is None else not t
        return _not
    if k in ("and", "or"):
        fa, fb = _compile(node.args[0], resolve), _compile(node.args[1], resolve)
        if k == "and":
            def _and(row):
                a = _truth(fa(row))
                if a is False:
                    return False
                b = _truth(fb(row))
                if b is False:
                    return False
                return None if a is None or b is None else True
            return _and

        def _or(row):
            a = _truth(fa(row))
            if a is True:
                return True
            b = _truth(fb(row))
            if b is True:
                return True
            return None if a is None or b is None else False
        return _or
    if k == "cmp":
        op = node.args[0]
        fa, fb = _compile(node.args[1], resolve), _compile(node.args[2], resolve)
        opf = _OPS[op]

        def _cmp(row):
            a, b = fa(row), fb(row)
            if a is None or b is None:
                return None
            if a.__class__ is str and b.__class__ is str:
                return opf(a, b)
            return compare(op, a, b)
        return _cmp
    if k == "isnull":
        f, negate = _compile(node.args[0], resolve), node.args[1]
        return (lambda row: f(row) is not None) if negate else (lambda row: f(row) is None)
    if k == "in":
        f = _compile(node.args[0], resolve)
        items = [_compile(n, resolve) for n in node.args[1]]
        negate = node.args[2]

        def _in(row):
            v = f(row)
            if v is None:
                return None
            hit = any(compare("=", v, it(row)) for it in items)
            return (not hit) if negate else hit
        return _in
    if k == "arith":
        op = node.args[0]
        fa, fb = _compile(node.args[1], resolve), _compile(node.args[2], resolve)

        def _arith(row):
            a, b = fa(row), fb(row)
            if not _is_num(a) or not _is_num(b):
                return None
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if op == "%":
                return None if b == 0 else math.fmod(a, b)
            return None if b == 0 else a / b
        return _arith
    if k == "concat":
        fa, fb = _compile(node.args[0], resolve), _compile(node.args[1], resolve)

        def _concat(row):
            a, b = fa(row), fb(row)
            if a is None or b is None:
                return None
            return _as_text(a) + _as_text(b)
        return _concat
    if k == "like":
        f, fp = _compile(node.args[0], resolve), _compile(node.args[1], resolve)
        negate, nocase = node.args[2], node.args[3]

        def _like(row):
            v, pattern = f(row), fp(row)
            if v is None or pattern is None:
                return None
            hit = _like_regex(_as_text(pattern), nocase).match(_as_text(v)) is not None
            return (not hit) if negate else hit
        return _like
    if k == "neg":
        f = _compile(node.args[0], resolve)
        return lambda row: (-f(row)) if _is_num(f(row)) else None
    if k == "call":
        fn = FUNCTIONS[node.args[0]][0]
        fs = [_compile(n, resolve) for n in node.args[1]]
        return lambda row: fn(*[g(row) for g in fs])
    raise ConditionError("internal: unknown node " + k)


def _as_text(v):
    """Text of a value for LIKE and ||: whole numbers without '.0', true/false as in QGIS."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


_LIKE_CACHE = {}


def _like_regex(pattern, nocase):
    """A LIKE pattern as a regular expression: % any text, _ one character, \\% and \\_ literal."""
    key = (pattern, nocase)
    rx = _LIKE_CACHE.get(key)
    if rx is None:
        out, i = [], 0
        while i < len(pattern):
            c = pattern[i]
            if c == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "%_\\":
                out.append(re.escape(pattern[i + 1]))
                i += 2
                continue
            out.append(".*" if c == "%" else "." if c == "_" else re.escape(c))
            i += 1
        rx = re.compile("".join(out) + r"\Z", re.S | (re.I if nocase else 0))
        if len(_LIKE_CACHE) < 1000:
            _LIKE_CACHE[key] = rx
    return rx


def _walk(node):
    yield node
    for a in node.args:
        if isinstance(a, Node):
            yield from _walk(a)
        elif isinstance(a, list):
            for b in a:
                yield from _walk(b)


class Condition:
    """A parsed condition: ``names`` it reads, ``compile(resolve)`` to a row function.

    ``resolve(name)`` returns a function row -> value for a name (the caller decides
    where values come from: a dict per parcel, params, derived values). ``variable(name)``
    does the same for ``@name``; without it ``@name`` reads ``name`` through ``resolve``
    (in a standard, ``@low_tax`` and ``low_tax`` are the same param).
    """

    def __init__(self, text):
        self.text = str(text).strip() if text is not None else ""
        self.root = _Parser(self.text).parse()
        self.names = sorted({n.args[0] for n in _walk(self.root) if n.kind == "name"})
        # names written in double quotes: layer fields taken as they are
        self.quoted = sorted({n.args[0] for n in _walk(self.root) if n.kind == "name" and n.args[1]})
        # @name variables (a rule set's params and the values the engine sets per parcel)
        self.variables = sorted({n.args[0] for n in _walk(self.root) if n.kind == "var"})

    def compile(self, resolve, variable=None):
        return _compile(self.root, _with_variables(resolve, variable))

    def truth(self, resolve, variable=None):
        """A function row -> True / False / None (unknown): the condition's three-valued truth.
        Missing data (NULL, empty) makes a comparison unknown; a bare value counts as true when
        it is yes, a non-zero number or non-empty text."""
        fn = self.compile(resolve, variable)
        return lambda row: _truth(fn(row))

    def predicate(self, resolve, variable=None):
        """A function row -> bool: True only when the condition is exactly true. An unknown
        condition does not hold: the rule does not fire, the parcel is not chosen (the
        three-valued logic of SQL and QGIS). Every kind of rule file decides this way."""
        fn = self.truth(resolve, variable)
        return lambda row: fn(row) is True

    def divisors(self):
        """What stands right of each '/': a name, or the number when it is a constant (a standard
        reports a division by 0 or by a param of value 0: it is missing for every parcel)."""
        out = []
        for n in _walk(self.root):
            if n.kind == "arith" and n.args[0] == "/":
                right = n.args[2]
                if right.kind == "name" or (right.kind == "const" and _is_num(right.args[0])):
                    out.append(right.args[0])
        return out

    def comparisons(self):
        """Comparison nodes of the form ``<name> op <expr>``, in reading order (for reasons)."""
        return [n for n in _walk(self.root) if n.kind == "cmp" and n.args[1].kind == "name"]

    def explainer(self, resolve, label, name_label=None):
        """A function row -> list of '地均产值 3.2 亿元/公顷 ≥ 3' strings for numeric comparisons.

        ``label(name)`` -> (Chinese label, unit) or None to skip a name (attributes).
        ``name_label(name)`` -> (Chinese label, unit) of any name: with it, ``name IS NULL`` tests that
        hold are explained as '出租情况 缺失' (which facts were missing).
        """
        resolve = _with_variables(resolve, None)
        parts = []
        for node in self.comparisons():
            name = node.args[1].args[0]
            lab = label(name)
            if lab is None:
                continue
            parts.append((node.args[0], resolve(name), _compile(node.args[2], resolve), lab))
        nulls = []
        if name_label is not None:
            for node in _walk(self.root):
                if node.kind == "isnull" and not node.args[1] and node.args[0].kind == "name":
                    name = node.args[0].args[0]
                    nulls.append((resolve(name), name_label(name)[0]))

        def explain(row):
            out = ["{} 缺失".format(text) for fv, text in nulls if fv(row) is None]
            for op, fv, fb, (text, unit) in parts:
                v, b = fv(row), fb(row)
                if v is None:
                    out.append("{} 缺失".format(text))
                    continue
                held = compare(op, v, b)
                sym = _HELD.get((op, held), _SHOW[op]) if held is not None else _SHOW[op]
                out.append("{} {}{} {} {}".format(text, fmt(v), " " + unit if unit else "", sym, fmt_exact(b)))
            return out
        return explain

    def to_text(self, label=None):
        """Readable Chinese text of the condition: names as aliases, 且/或/非."""
        return _text(self.root, label or (lambda n: n), 0)


def _with_variables(resolve, variable):
    """``resolve`` that also answers ``@name``: through ``variable(name)``, else ``resolve(name)``."""
    def both(name):
        if name.startswith("@"):
            return variable(name[1:]) if variable is not None else resolve(name[1:])
        return resolve(name)
    return both


def fmt(v):
    """Numbers for reasons: up to 4 significant decimals, no trailing zeros."""
    if v.__class__ is float:  # the common case first (the same text as below: % and format() agree on floats)
        a = abs(v)
        s = "%.1f" % v if a >= 100 else "%.2f" % v if a >= 1 else "%.4f" % v
        return s.rstrip("0").rstrip(".") if "." in s else s
    if isinstance(v, bool):
        return "是" if v else "否"
    if _is_num(v):
        if abs(v) >= 100:
            s = "{:.1f}".format(v)
        elif abs(v) >= 1:
            s = "{:.2f}".format(v)
        else:
            s = "{:.4f}".format(v)
        return s.rstrip("0").rstrip(".") if "." in s else s
    return str(v)


def fmt_exact(v):
    """Thresholds and benchmarks as written in the standard (24.097 stays 24.097)."""
    if _is_num(v):
        return "{:.8g}".format(v)
    return fmt(v)


_PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4, "in": 4, "isnull": 4, "like": 4, "concat": 5}


def _text(node, label, parent):
    k = node.kind
    mine = _PREC.get(k, 9)
    if k == "const":
        v = node.args[0]
        s = "空" if v is None else ("'{}'".format(v) if isinstance(v, str) else fmt_exact(v))
    elif k == "name":
        s = label(node.args[0])
    elif k == "var":
        s = label(node.args[0])
    elif k == "like":
        s = "{} {} '{}'".format(_text(node.args[0], label, mine), "不符合" if node.args[2] else "符合",
                                _text(node.args[1], label, mine).strip("'"))
    elif k == "concat":
        s = "{} || {}".format(_text(node.args[0], label, mine), _text(node.args[1], label, mine))
    elif k in ("and", "or"):
        s = "{} {} {}".format(_text(node.args[0], label, mine), "且" if k == "and" else "或",
                              _text(node.args[1], label, mine))
    elif k == "not":
        s = "非 " + _text(node.args[0], label, mine)
    elif k == "cmp":
        s = "{} {} {}".format(_text(node.args[1], label, mine), _SHOW[node.args[0]], _text(node.args[2], label, mine))
    elif k == "isnull":
        s = "{} {}".format(_text(node.args[0], label, mine), "不为空" if node.args[1] else "为空")
    elif k == "in":
        s = "{} {}（{}）".format(_text(node.args[0], label, mine), "不属于" if node.args[2] else "属于",
                               "、".join(_text(n, label, 0) for n in node.args[1]))
    elif k == "arith":
        sign = {"*": "×", "/": "÷", "%": "mod"}.get(node.args[0], node.args[0])
        s = "{} {} {}".format(_text(node.args[1], label, 8), sign,
                              _text(node.args[2], label, 8))
    elif k == "neg":
        s = "-" + _text(node.args[0], label, 9)
    elif k == "call":
        s = "{}({})".format(node.args[0], ", ".join(_text(n, label, 0) for n in node.args[1]))
    else:
        s = "?"
    return "（{}）".format(s) if mine < parent else s


def parse(text):
    return Condition(text)


# ---- where a rule stands in its file ---------------------------------------------------------------------
def yaml_key_lines(path):
    """{key path: line} of a YAML rule file: the 1-based line where each key's value starts, keyed as
    the loaders name them in their messages (``rules[2].when``, ``scoring.formulas[0].when``); {} when
    the file cannot be read (the loader reports that itself)."""
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            root = yaml.compose(fh, Loader=yaml.SafeLoader)
    except Exception:  # unreadable files are reported by the loader with their own message
        return {}
    out, stack = {}, [(root, "")]
    while stack:
        node, prefix = stack.pop()
        if isinstance(node, yaml.MappingNode):
            items = [("{}.{}".format(prefix, k.value) if prefix else str(k.value), v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            items = [("{}[{}]".format(prefix, n), v) for n, v in enumerate(node.value)]
        else:
            continue
        for key, value in items:
            out[key] = value.start_mark.line + 1
            stack.append((value, key))
    return out


def with_line(message, key, lines):
    """``message`` followed by ' (line N)' when ``key`` (or the key it belongs to, one level up) is in
    ``lines`` from yaml_key_lines(); unchanged otherwise."""
    line = lines.get(key)
    if line is None and "." in key:
        line = lines.get(key.rsplit(".", 1)[0])
    return message + tr(" (line {})").format(line) if line is not None else message
