"""scripts/check_qt6.py (`make lint`): what it flags, what it lets through, what --fix writes."""
# check_qt6: no-code-strings (the samples below are meant to be flagged)
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import check_qt6  # noqa: E402

BAD = '''from PyQt5.QtCore import QTimer
import PyQt5.QtGui
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QDialog, QMessageBox
from qgis.PyQt import QtCore


def f(dlg, label):
    label.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
    if dlg.exec_() == QDialog.Accepted:
        return QMessageBox.question(None, "t", "q") == QMessageBox.Yes
    return QtCore.Qt.UserRole
'''

GOOD = '''from qgis.PyQt.QtCore import Qt, QVariant
from qgis.PyQt.QtWidgets import QDialog, QMessageBox


def f(dlg, label, flags):
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    QMessageBox.StandardButton.Yes, Qt.ItemDataRole.UserRole, QVariant.Type.String
    Qt.AlignmentFlag, QDialog.DialogCode, flags.AlignLeft  # types and unknown objects pass
    label.setText("Qt.AlignLeft in a string is text")
    return dlg.exec() == QDialog.DialogCode.Accepted
'''


def _write(tmp_path, text):
    path = tmp_path / "sample.py"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_flags_direct_pyqt5_imports_unscoped_enums_and_exec_(tmp_path):
    problems = check_qt6.check_file(_write(tmp_path, BAD))
    text = "\n".join(problems)
    assert ":1: from PyQt5.QtCore import ...: import Qt through qgis.PyQt" in text
    assert ":2: import PyQt5.QtGui: import Qt through qgis.PyQt" in text
    assert ":9: unscoped Qt enum Qt.AlignLeft: write Qt.AlignmentFlag.AlignLeft" in text
    assert ":9: unscoped Qt enum Qt.AlignVCenter: write Qt.AlignmentFlag.AlignVCenter" in text
    assert ":10: .exec_(): PyQt5 only, use .exec()" in text
    assert ":10: unscoped Qt enum QDialog.Accepted: write QDialog.DialogCode.Accepted" in text
    assert ":11: unscoped Qt enum QMessageBox.Yes: write QMessageBox.StandardButton.Yes" in text
    assert ":12: unscoped Qt enum QtCore.Qt.UserRole: write QtCore.Qt.ItemDataRole.UserRole" in text
    assert len(problems) == 8


def test_flags_a_test_double_overriding_exec_(tmp_path):
    """A fake dialog's exec_() is never called once the code calls exec(): the test would hang."""
    problems = check_qt6.check_file(_write(tmp_path, "class Fake:\n    def exec_(self):\n        return 1\n"))
    assert len(problems) == 1 and ":2: def exec_(): PyQt5 only, name it exec" in problems[0]


def test_scoped_enums_and_exec_pass(tmp_path):
    assert check_qt6.check_file(_write(tmp_path, GOOD)) == []


def test_fix_rewrites_to_the_scoped_form(tmp_path):
    path = _write(tmp_path, BAD)
    check_qt6.check_file(path, fix=True)
    fixed = open(path, encoding="utf-8").read()
    assert "label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)" in fixed
    assert "if dlg.exec() == QDialog.DialogCode.Accepted:" in fixed
    assert '== QMessageBox.StandardButton.Yes' in fixed
    assert "return QtCore.Qt.ItemDataRole.UserRole" in fixed
    # only the imports are left: they need a person (which qgis.PyQt module)
    assert [p.split(": ", 1)[1] for p in check_qt6.check_file(path)] == [
        "from PyQt5.QtCore import ...: import Qt through qgis.PyQt", "import PyQt5.QtGui: import Qt through qgis.PyQt"]


def test_code_strings_run_by_qgis_are_checked(tmp_path):
    path = _write(tmp_path, 'CODE = """\nfrom qgis.PyQt.QtCore import Qt\nx = Qt.Horizontal\n"""\n')
    problems = check_qt6.check_file(path)
    assert len(problems) == 1 and "write Qt.Orientation.Horizontal" in problems[0] and "code string" in problems[0]
    assert problems[0].startswith("sample.py:3: ") or ":3: " in problems[0]


def test_the_project_passes_make_lint():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "check_qt6.py")], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert proc.stdout.strip().endswith(", 0 problem(s)")
