#!/usr/bin/env python3
"""Translations: i18n/<locale>/*.tsv (English source TAB translation) -> .ts -> .qm.

Usage:
  i18n.py compile OUT_DIR   write OUT_DIR/landeval_<locale>.ts and compile .qm with lrelease
  i18n.py missing           list tr() strings in landeval_plugin/ without a zh_CN translation
  i18n.py template          print missing strings as TSV lines to fill in

The TSV files are split by area (core.tsv, basemap.tsv ...) so that work on one step does
not touch another's file; a source string may appear in only one of them.
"""
import ast
import glob
import os
import subprocess
import sys
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTEXT = "LandEval"


def unescape_tsv(text):
    return text.replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")


def load(locale="zh_CN"):
    """{source: translation} from i18n/<locale>/*.tsv; raises on duplicates or bad lines."""
    result, where = {}, {}
    for path in sorted(glob.glob(os.path.join(ROOT, "i18n", locale, "*.tsv"))):
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


def source_strings(package_dir=None):
    """{string: 'file:line'} of every tr("...") / self.tr("...") literal in the package."""
    package_dir = package_dir or os.path.join(ROOT, "landeval_plugin")
    found = {}
    for path in sorted(glob.glob(os.path.join(package_dir, "**", "*.py"), recursive=True)):
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name != "tr":
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, "{}:{}".format(os.path.relpath(path, ROOT), node.lineno))
    return found


def write_ts(path, translations, locale="zh_CN"):
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="{}">'.format(locale), "<context>", "    <name>{}</name>".format(CONTEXT)]
    for src in sorted(translations):
        lines += ["    <message>", "        <source>{}</source>".format(escape(src)),
                  "        <translation>{}</translation>".format(escape(translations[src])), "    </message>"]
    lines += ["</context>", "</TS>", ""]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def lrelease():
    for name in ("lrelease", "lrelease-qt5"):
        for folder in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/lib/qt5/bin",
                                                                      "/usr/lib/x86_64-linux-gnu/qt5/bin"]:
            candidate = os.path.join(folder, name)
            if os.path.exists(candidate):
                return candidate
    raise SystemExit("lrelease not found: install qttools5-dev-tools")


def compile_to(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for locale_dir in sorted(glob.glob(os.path.join(ROOT, "i18n", "*", ""))):
        locale = os.path.basename(os.path.dirname(locale_dir))
        ts = os.path.join(out_dir, "landeval_{}.ts".format(locale))
        write_ts(ts, load(locale), locale)
        subprocess.run([lrelease(), "-silent", ts, "-qm", ts[:-3] + ".qm"], check=True)
        os.remove(ts)


def missing(locale="zh_CN"):
    have = load(locale)
    return {s: w for s, w in source_strings().items() if s not in have}


def main(argv):
    if len(argv) >= 2 and argv[0] == "compile":
        compile_to(argv[1])
        return 0
    if argv and argv[0] in ("missing", "template"):
        todo = missing()
        for src, where in sorted(todo.items(), key=lambda kv: kv[1]):
            esc = src.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            print("{}\t".format(esc) if argv[0] == "template" else "{}: {}".format(where, esc))
        return 1 if todo and argv[0] == "missing" else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
