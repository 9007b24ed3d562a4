#!/usr/bin/env python3
"""`make lint`: Qt 6 readiness (QGIS 4 runs PyQt6). Fails, naming file:line and the fix, on
* Qt imported other than through qgis.PyQt (``import PyQt5``, ``from PyQt5.QtCore import ...``, PyQt6, sip);
* unscoped Qt enum members on a class imported from qgis.PyQt: ``Qt.AlignLeft`` must be
  ``Qt.AlignmentFlag.AlignLeft``, ``QMessageBox.Yes`` ``QMessageBox.StandardButton.Yes``
  (PyQt6 knows only the scoped form; PyQt5 5.11+ accepts both);
* PyQt5-only APIs: ``exec_()`` / ``print_()`` (``exec()``), QRegExp, QDesktopWidget, QApplication.desktop().

Which names are enum members is read from the installed Qt bindings (PyQt5 on QGIS 3, PyQt6 on QGIS 4),
so every Qt enum is covered, not a list. Usage: check_qt6.py [--fix] [PATH ...] (default: the plugin,
scripts, tests); --fix rewrites what it can (enum scopes, exec_) in place and lists the rest.
"""
import ast
import enum
import importlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PATHS = ["landeval_plugin", "scripts", "test"]
FORBIDDEN_MODULES = ("PyQt5", "PyQt6", "sip", "PySide2", "PySide6")
PYQT5_ONLY_CALLS = {"exec_": "exec()", "print_": "print()"}
PYQT5_ONLY_NAMES = {"QRegExp": "QRegularExpression", "QDesktopWidget": "QScreen (QGuiApplication.screens())"}


def _qt_module(name):
    """qgis.PyQt.QtCore -> the binding module (PyQt5.QtCore without QGIS, so lint needs no QGIS)."""
    leaf = name.rsplit(".", 1)[-1]
    for prefix in ("PyQt5", "PyQt6"):
        try:
            return importlib.import_module("{}.{}".format(prefix, leaf))
        except ImportError:
            continue
    return None


def _enum_type_of(cls, member):
    """Name of the enum type that ``member`` belongs to when ``cls.member`` is an unscoped enum
    member; None when it is a scoped path, a method, a type or unknown."""
    value = getattr(cls, member, None)
    if value is not None:
        vtype = type(value)
        if isinstance(value, enum.Enum):  # PyQt6 (Python enums) or PyQt5 5.15 scoped enums
            return vtype.__name__ if member not in cls.__dict__ or getattr(cls, vtype.__name__, None) is vtype \
                else None
        if type(vtype).__name__ == "enumtype" and isinstance(value, int):  # PyQt5 sip enum member
            return vtype.__name__
        return None
    # PyQt6 refuses unscoped access: look for the member in the class's enum types
    for attr in dir(cls):
        sub = getattr(cls, attr, None)
        if isinstance(sub, type) and issubclass(sub, enum.Enum) and member in sub.__members__:
            return attr
    return None


class Checker(ast.NodeVisitor):
    def __init__(self, path):
        self.path = path
        self.qt_names = {}  # local name -> Qt class (or module)
        self.problems = []
        self.edits = []  # (line, col, text to insert or (old, new)) for --fix
        self.found = []  # (line, text)

    def add(self, node, text):
        self.found.append((node.lineno, text))
        self.problems.append("{}:{}: {}".format(os.path.relpath(self.path, ROOT), node.lineno, text))

    def visit_Import(self, node):
        for alias in node.names:
            if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                self.add(node, "import {}: import Qt through qgis.PyQt".format(alias.name))
            elif alias.name.startswith("qgis.PyQt.") and alias.asname:
                module = _qt_module(alias.name)
                if module is not None:
                    self.qt_names[alias.asname] = module
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        mod = node.module or ""
        if mod.split(".")[0] in FORBIDDEN_MODULES:
            self.add(node, "from {} import ...: import Qt through qgis.PyQt".format(mod))
        elif mod == "qgis.PyQt":
            for alias in node.names:
                module = _qt_module(alias.name)
                if module is not None:
                    self.qt_names[alias.asname or alias.name] = module
        elif mod.startswith("qgis.PyQt."):
            module = _qt_module(mod)
            for alias in node.names:
                if alias.name in PYQT5_ONLY_NAMES:
                    self.add(node, "{} is gone in Qt 6: use {}".format(alias.name, PYQT5_ONLY_NAMES[alias.name]))
                obj = getattr(module, alias.name, None) if module is not None else None
                if isinstance(obj, type):
                    self.qt_names[alias.asname or alias.name] = obj
        self.generic_visit(node)

    def _resolve(self, node):
        """The Qt object an expression like ``Qt`` or ``QtCore.Qt`` or ``QMessageBox.StandardButton`` names."""
        if isinstance(node, ast.Name):
            return self.qt_names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value)
            if base is not None:
                return getattr(base, node.attr, None)
        return None

    def visit_FunctionDef(self, node):
        # a test double overriding exec_() is never called once the code calls exec()
        if node.name in PYQT5_ONLY_CALLS:
            self.add(node, "def {}(): PyQt5 only, name it {}".format(node.name, PYQT5_ONLY_CALLS[node.name][:-2]))
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if node.attr in PYQT5_ONLY_CALLS:
            self.add(node, ".{}(): PyQt5 only, use .{}".format(node.attr, PYQT5_ONLY_CALLS[node.attr]))
            self.edits.append((node.end_lineno, node.end_col_offset, ("_", "")))
        if node.attr == "desktop" and isinstance(node.value, ast.Name) and node.value.id == "QApplication":
            self.add(node, "QApplication.desktop() is gone in Qt 6: use QGuiApplication.screens()")
        owner = self._resolve(node.value)
        if isinstance(owner, type) and not (isinstance(owner, enum.EnumMeta)
                                            or type(owner).__name__ == "enumtype"):
            scope = _enum_type_of(owner, node.attr)
            if scope is not None and scope != node.attr:
                self.add(node, "unscoped Qt enum {0}.{1}: write {0}.{2}.{1}".format(
                    ast.unparse(node.value), node.attr, scope))
                self.edits.append((node.value.end_lineno, node.value.end_col_offset, "." + scope))
        self.generic_visit(node)


def fix_file(path, edits):
    """Apply the scoped-enum and exec_() fixes, last position first (same line, other columns stay valid)."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for line, col, edit in sorted(set(edits), key=lambda e: (e[0], e[1]), reverse=True):
        text = lines[line - 1].encode("utf-8")  # ast offsets count UTF-8 bytes
        if isinstance(edit, tuple):  # remove the trailing "_" of exec_
            assert text[col - 1:col] == b"_", (path, line, text)
            text = text[:col - 1] + text[col:]
        else:
            text = text[:col] + edit.encode("utf-8") + text[col:]
        lines[line - 1] = text.decode("utf-8")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def check_file(path, fix=False):
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    tree = ast.parse(source, path)
    checker = Checker(path)
    # imports first (they may sit below their use, inside functions): two passes
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            checker.visit_Import(node)
        elif isinstance(node, ast.ImportFrom):
            checker.visit_ImportFrom(node)
    checker.problems, checker.edits = [], []
    checker.visit(tree)
    if fix and checker.edits:
        fix_file(path, checker.edits)
    # python code embedded in strings (QGIS --code scripts in tests and scripts): check it too
    if "# check_qt6: no-code-strings" in source:  # a file whose strings are samples for this check
        return checker.problems
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "qgis.PyQt" in node.value \
                and "\n" in node.value:
            try:
                inner = ast.parse(node.value)
            except SyntaxError:
                continue
            sub = Checker(path)
            sub.visit(inner)
            for line, text in sub.found:
                checker.problems.append("{}:{}: {} (in a code string)".format(
                    os.path.relpath(path, ROOT), node.lineno + line - 1, text))
    return checker.problems


def python_files(paths):
    for base in paths:
        base = os.path.join(ROOT, base) if not os.path.isabs(base) else base
        if os.path.isfile(base):
            yield base
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if d not in ("__pycache__", ".venv", "build", "dist")]
            for name in sorted(filenames):
                if name.endswith(".py"):
                    yield os.path.join(dirpath, name)


def main(argv):
    if _qt_module("QtCore") is None:
        print("check_qt6: neither PyQt5 nor PyQt6 is installed: cannot tell enum members apart", file=sys.stderr)
        return 2
    fix = "--fix" in argv
    argv = [a for a in argv if a != "--fix"]
    problems = []
    count = 0
    for path in python_files(argv or DEFAULT_PATHS):
        count += 1
        problems += check_file(path, fix)
    for p in problems:
        print(p)
    print("check_qt6: {} file(s), {} problem(s)".format(count, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
