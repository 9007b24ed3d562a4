#!/usr/bin/env python3
"""Translations: tr() strings in the code -> i18n/landeval_<locale>.ts (Qt Linguist) -> .qm.

Usage:
  i18n.py update            extract every tr()/tr_noop() string of landeval_plugin/ with its context
                            (the class it is called in, else the module: core.grade ...), merge the
                            translations of i18n/landeval_zh_CN.ts, import leftover
                            i18n/zh_CN/*.tsv lines (English<TAB>中文) and delete those files, and
                            write the .ts again (open it in Qt Linguist to translate)
  i18n.py missing           list strings without a zh_CN translation (exit 1 when any)
  i18n.py compile OUT_DIR   compile each .ts (plus leftover .tsv lines) to OUT_DIR/landeval_<locale>.qm
                            with lrelease (make build runs it)

Contexts are those of pylupdate: tr() in a class uses the class name (also in nested
functions), elsewhere a module context. ``tr(text, "disambiguation")`` gives Qt's comment; a
``#: note`` line just above the call is a translator comment (<extracomment>). Strings that
reach tr() through a variable are marked with ``tr_noop("...")`` where they are written. The
compiled file also carries every translation in the catch-all context ``LandEval``, which
landeval_plugin/i18n.py consults last, so a label translated where it is written is found
where it is shown. Messages in the context ``LandEval`` of the .ts are kept as they are
(strings shown through variables that have no tr_noop() mark).
"""
import ast
import glob
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "landeval_plugin"
CATCH_ALL = "LandEval"
MARKERS = {"tr": 0, "tr_noop": 0, "tr_in": 1, "tr_for_caller": 0}  # function name: index of the text argument
LOCALES = ("zh_CN",)


def ts_path(locale="zh_CN"):
    return os.path.join(ROOT, "i18n", "landeval_{}.ts".format(locale))


# ---------------------------------------------------------------------------------------------- tsv (legacy)
def unescape_tsv(text):
    return text.replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")


def tsv_files(locale="zh_CN"):
    return sorted(glob.glob(os.path.join(ROOT, "i18n", locale, "*.tsv")))


def load_tsv(locale="zh_CN"):
    """{source: translation} from leftover i18n/<locale>/*.tsv; raises on bad lines."""
    result, where = {}, {}
    for path in tsv_files(locale):
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 2 or not parts[1].strip():
                    raise ValueError("{}:{}: expected 'source<TAB>translation'".format(path, lineno))
                src, dst = unescape_tsv(parts[0]), unescape_tsv(parts[1])
                if src in result and result[src] != dst:
                    raise ValueError("{}:{}: '{}' already translated in {}".format(path, lineno, src, where[src]))
                result[src] = dst
                where[src] = "{}:{}".format(os.path.basename(path), lineno)
    return result


# ---------------------------------------------------------------------------------------------- extraction
def module_context(relpath):
    """landeval_plugin/core/grade.py -> core.grade (as landeval_plugin/i18n.py names it at run time)."""
    parts = os.path.splitext(relpath)[0].split(os.sep)
    if parts and parts[0] == PACKAGE:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or PACKAGE


class Message:
    __slots__ = ("context", "source", "comment", "extracomment", "translation", "locations")

    def __init__(self, context, source, comment="", extracomment="", translation="", locations=()):
        self.context, self.source, self.comment = context, source, comment or ""
        self.extracomment, self.translation = extracomment or "", translation or ""
        self.locations = list(locations)

    @property
    def key(self):
        return self.context, self.source, self.comment


def _call_name(node):
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _const(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract(package_dir=None):
    """{(context, source, comment): Message} of every literal tr()/tr_noop() string in the package,
    with 'file:line' locations; non-literal tr() arguments are listed by ``dynamic_calls()``."""
    package_dir = package_dir or os.path.join(ROOT, PACKAGE)
    found = {}
    for path in sorted(glob.glob(os.path.join(package_dir, "**", "*.py"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        lines = text.splitlines()
        tree = ast.parse(text, path)
        module = module_context(os.path.relpath(path, os.path.dirname(package_dir)))
        classes = [(n.lineno, n.end_lineno, n.name) for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            if name not in MARKERS or len(node.args) <= MARKERS[name]:
                continue
            source = _const(node.args[MARKERS[name]])
            if source is None:
                continue
            rest = node.args[MARKERS[name] + 1:]
            comment = _const(rest[0]) if rest else None
            for kw in node.keywords:
                if kw.arg == "disambiguation":
                    comment = _const(kw.value)
            klass = _innermost(classes, node.lineno)
            context = klass or module
            notes = []
            i = node.lineno - 2
            while i >= 0 and lines[i].strip().startswith("#:"):
                notes.insert(0, lines[i].strip()[2:].strip())
                i -= 1
            msg = found.get((context, source, comment or ""))
            if msg is None:
                msg = found[(context, source, comment or "")] = Message(context, source, comment, " ".join(notes))
            elif notes and not msg.extracomment:
                msg.extracomment = " ".join(notes)
            msg.locations.append("{}:{}".format(rel, node.lineno))
    return found


def _innermost(classes, line):
    best, span = None, None
    for first, last, name in classes:
        if first <= line <= last and (span is None or last - first < span):
            best, span = name, last - first
    return best


def dynamic_calls(package_dir=None):
    """['file:line: expression'] of tr() calls whose text is not a literal (checked by review:
    the strings they receive must be marked with tr_noop() where they are written)."""
    package_dir = package_dir or os.path.join(ROOT, PACKAGE)
    out = []
    for path in sorted(glob.glob(os.path.join(package_dir, "**", "*.py"), recursive=True)):
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) == "tr" and node.args and _const(node.args[0]) is None:
                out.append("{}:{}: {}".format(os.path.relpath(path, ROOT), node.lineno, ast.unparse(node.args[0])))
    return out


# ---------------------------------------------------------------------------------------------- .ts files
def read_ts(path):
    """{key: Message} of a .ts file (empty when it does not exist)."""
    out = {}
    if not os.path.exists(path):
        return out
    root = ET.parse(path).getroot()
    for ctx in root.findall("context"):
        cname = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            tnode = m.find("translation")
            kind = tnode.get("type") if tnode is not None else None
            translation = "" if tnode is None or kind in ("unfinished", "obsolete", "vanished") else (tnode.text or "")
            if tnode is not None and kind == "unfinished" and tnode.text:
                translation = ""  # an unfinished draft is not shipped
            msg = Message(cname, m.findtext("source") or "", m.findtext("comment") or "",
                          m.findtext("extracomment") or "", translation,
                          [loc.get("filename") for loc in m.findall("location")])
            out[msg.key] = msg
    return out


def write_ts(path, messages, locale="zh_CN", with_locations=True):
    """Write ``messages`` (an iterable of Message) as a Qt Linguist .ts: contexts and messages
    sorted (stable diffs when several people add strings), locations by file only."""
    by_context = {}
    for msg in messages:
        by_context.setdefault(msg.context, []).append(msg)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="{}" sourcelanguage="en">'.format(locale)]
    for cname in sorted(by_context):
        lines += ["<context>", "    <name>{}</name>".format(escape(cname))]
        for msg in sorted(by_context[cname], key=lambda m: (m.source, m.comment)):
            lines.append("    <message>")
            if with_locations:
                for filename in sorted({loc.split(":")[0] for loc in msg.locations if loc}):
                    rel = os.path.relpath(os.path.join(ROOT, filename), os.path.dirname(path)) \
                        if not filename.startswith("..") else filename
                    lines.append('        <location filename="{}"/>'.format(escape(rel, {'"': "&quot;"})))
            lines.append("        <source>{}</source>".format(escape(msg.source)))
            if msg.comment:
                lines.append("        <comment>{}</comment>".format(escape(msg.comment)))
            if msg.extracomment:
                lines.append("        <extracomment>{}</extracomment>".format(escape(msg.extracomment)))
            if msg.translation:
                lines.append("        <translation>{}</translation>".format(escape(msg.translation)))
            else:
                lines.append('        <translation type="unfinished"></translation>')
            lines.append("    </message>")
        lines.append("</context>")
    lines += ["</TS>", ""]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def merged(locale="zh_CN"):
    """(messages for the .ts, number of tsv lines used): the code's strings with the translations
    found in the .ts (same context first, then the same source and comment in any context,
    then the leftover tsv files, which win over the .ts), plus the kept catch-all messages and
    unmatched tsv lines."""
    old = read_ts(ts_path(locale))
    tsv = load_tsv(locale)
    by_source = {}
    for msg in old.values():
        if msg.translation:
            by_source.setdefault((msg.source, msg.comment), msg.translation)
    out = {}
    used = set()
    for key, msg in extract().items():
        prev = old.get(key)
        # a leftover tsv line is newer than the .ts (update deletes the tsv files it folds in): it wins
        msg.translation = tsv.get(msg.source) or (prev.translation if prev and prev.translation else "") or \
            by_source.get((msg.source, msg.comment), "")
        if msg.source in tsv:
            used.add(msg.source)
        if not msg.extracomment and prev is not None:
            msg.extracomment = prev.extracomment
        out[key] = msg
    for key, msg in old.items():  # the catch-all context: strings shown only through variables
        if msg.context == CATCH_ALL and key not in out:
            out[key] = msg
    for src, dst in tsv.items():
        if src not in used and (CATCH_ALL, src, "") not in out and not any(m.source == src for m in out.values()):
            out[(CATCH_ALL, src, "")] = Message(CATCH_ALL, src, "", "not a tr() literal in the code (imported from a "
                                                "tsv file): shown through a variable, or no longer used", dst)
        elif src not in used:
            for m in out.values():
                if m.source == src and not m.translation:
                    m.translation = dst
    return list(out.values()), len(tsv)


def update(locale="zh_CN"):
    messages, n_tsv = merged(locale)
    write_ts(ts_path(locale), messages, locale)
    removed = tsv_files(locale)
    for path in removed:
        os.remove(path)
    folder = os.path.join(ROOT, "i18n", locale)
    if os.path.isdir(folder) and not os.listdir(folder):
        os.rmdir(folder)
    todo = sum(1 for m in messages if not m.translation)
    print("{}: {} messages in {} contexts, {} without a translation; {} tsv lines imported from {} file(s), "
          "deleted".format(os.path.relpath(ts_path(locale), ROOT), len(messages), len({m.context for m in messages}),
                           todo, n_tsv, len(removed)))
    return todo


def translations(locale="zh_CN"):
    """{key: Message} that will be compiled: the .ts, with leftover tsv lines over it (a branch
    that still adds or changes .tsv lines keeps working until `update` folds them in)."""
    msgs = {k: m for k, m in read_ts(ts_path(locale)).items() if m.translation}
    tsv = load_tsv(locale)
    if tsv:
        for key, msg in extract().items():
            if msg.source in tsv:  # newer than the .ts (not folded in yet): it wins
                msg.translation = tsv[msg.source]
                msgs[key] = msg
        have = {m.source for m in msgs.values()}
        for src, dst in tsv.items():
            if src not in have:
                msgs[(CATCH_ALL, src, "")] = Message(CATCH_ALL, src, "", "", dst)
    return msgs


def missing(locale="zh_CN"):
    """{text: 'file:line'} of code strings without a translation: none in their context, nor for
    the same text in another context (found at run time through the catch-all), nor in a tsv."""
    have = translations(locale)
    by_source = {(m.source, m.comment) for m in have.values()}
    out = {}
    for key, msg in extract().items():
        if key not in have and (msg.source, msg.comment) not in by_source:
            out[msg.source] = msg.locations[0]
    return out


# ---------------------------------------------------------------------------------------------- compile
def lrelease():
    for name in ("lrelease", "lrelease-qt5", "lrelease-qt6"):
        folders = os.environ.get("PATH", "").split(os.pathsep)
        for folder in folders + ["/usr/lib/qt5/bin", "/usr/lib/x86_64-linux-gnu/qt5/bin", "/usr/lib/qt6/bin"]:
            candidate = os.path.join(folder, name)
            if os.path.exists(candidate):
                return candidate
    raise SystemExit("lrelease not found: install qttools5-dev-tools (Debian) or qt6-l10n-tools")


def compile_to(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    locales = {os.path.basename(p)[len("landeval_"):-3] for p in glob.glob(os.path.join(ROOT, "i18n", "landeval_*.ts"))}
    locales |= {os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(ROOT, "i18n", "*", "*.tsv"))}
    for locale in sorted(locales):
        msgs = translations(locale)
        catch_all = {}
        for msg in sorted(msgs.values(), key=lambda m: (m.context != CATCH_ALL, m.context)):
            catch_all.setdefault((msg.source, msg.comment),
                                 Message(CATCH_ALL, msg.source, msg.comment, "", msg.translation))
        full = [m for m in msgs.values() if m.context != CATCH_ALL] + list(catch_all.values())
        with tempfile.TemporaryDirectory() as tmp:
            ts = os.path.join(tmp, "landeval_{}.ts".format(locale))
            write_ts(ts, full, locale, with_locations=False)
            subprocess.run([lrelease(), "-silent", ts, "-qm", os.path.join(out_dir, "landeval_{}.qm".format(locale))],
                           check=True)


def main(argv):
    if len(argv) >= 2 and argv[0] == "compile":
        compile_to(argv[1])
        return 0
    if argv and argv[0] == "update":
        update()
        return 0
    if argv and argv[0] == "missing":
        todo = missing()
        for src, where in sorted(todo.items(), key=lambda kv: kv[1]):
            print("{}: {}".format(where, src.replace("\n", "\\n")))
        return 1 if todo else 0
    if argv and argv[0] == "dynamic":
        print("\n".join(dynamic_calls()))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
