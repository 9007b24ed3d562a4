"""The 研判 dialog (one class for the class and the path): what it shows for a parcel, nothing
preselected, save disabled until complete, keyboard (tab order, Enter, Escape), Chinese labels."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from test_disposal_rules import layer_from, rect

FIELDS = ("parcel_code:string", "owner:string", "town:string", "grade:string", "grade_final:string",
          "override_reason:string", "override_by:string", "override_at:string", "score:double", "rank:integer",
          "grade_reason:string", "litigation:boolean", "industry_class:string")


@pytest.fixture
def graded(qgis_app, qgis_new_project):
    rows = [(rect(0, 0, 150, 100), {"parcel_code": "330122001001GB00011", "owner": "桐庐示例机械有限公司",
                                     "town": "横村镇", "grade": "D", "score": 38.456, "rank": 97,
                                     "grade_reason": "亩均税收 1.2 万元/亩，低于基准 5 万元/亩", "litigation": True,
                                     "industry_class": "淘汰类产能"}),
            (rect(300, 0, 100, 100), {"parcel_code": "330122001001GB00012", "owner": "乙公司", "town": "横村镇",
                                       "grade": "C", "grade_final": "B", "override_reason": "已签技改协议",
                                       "override_by": "王工", "override_at": "2026-11-20 10:00:00",
                                       "score": 61.0, "rank": 40, "litigation": False})]
    return layer_from(rows, fields=FIELDS, name="分类评价")


def grade_dialog(layer, fid, count=1):
    from landeval_plugin.core.grading.standard import GRADE_NAMES, GRADES
    from landeval_plugin.gui.review_dialog import GRADE, DecisionDialog, parcel_facts

    choices = [(g, "{} {}".format(g, GRADE_NAMES[g])) for g in GRADES]
    return DecisionDialog(GRADE, choices, parcel_facts(layer, fid), count, by="规划员甲")


def fid_of(layer, code):
    return [f.id() for f in layer.getFeatures() if f["parcel_code"] == code][0]


def test_the_dialog_shows_the_parcel_the_computed_class_and_the_vetoes(graded):
    dlg = grade_dialog(graded, fid_of(graded, "330122001001GB00011"))
    facts = {k: v.text() for k, v in dlg.fact_labels.items()}
    assert facts["code"] == "330122001001GB00011"
    assert facts["owner"] == "桐庐示例机械有限公司" and facts["town"] == "横村镇"
    assert facts["area_mu"] == "22.50"          # 150 m × 100 m = 15,000 m² = 22.5 亩
    assert facts["grade"] == "D 整治退出" and facts["score"] == "38.46" and facts["rank"] == "97"
    assert facts["reasons"] == "亩均税收 1.2 万元/亩，低于基准 5 万元/亩"
    assert "涉法涉诉" in facts["veto"] and "禁止类/淘汰类产业" in facts["veto"]
    assert facts["grade_decision"] in ("none yet", "尚未研判")
    assert dlg.by.text() == "规划员甲"
    dlg.deleteLater()


def test_the_current_decision_is_shown(graded):
    dlg = grade_dialog(graded, fid_of(graded, "330122001001GB00012"))
    text = dlg.fact_labels["grade_decision"].text()
    assert "B" in text and "已签技改协议" in text and "王工" in text and "2026-11-20 10:00:00" in text
    assert dlg.fact_labels["veto"].text() == "无"   # facts known, no veto
    dlg.deleteLater()


def test_nothing_preselected_and_save_disabled_until_complete(graded):
    dlg = grade_dialog(graded, fid_of(graded, "330122001001GB00011"), count=3)
    assert dlg.choice.currentData() is None and dlg.choice.currentIndex() == 0
    assert [dlg.choice.itemData(i) for i in range(dlg.choice.count())] == [None, "A", "B", "C", "D", "T"]
    assert not dlg.ok_button.isEnabled()
    dlg.choice.setCurrentIndex(dlg.choice.findData("C"))
    assert not dlg.ok_button.isEnabled()        # no reason yet
    dlg.reason.setPlainText("   ")
    assert not dlg.ok_button.isEnabled()        # blanks are no reason
    dlg.reason.setPlainText("已整改到位")
    assert dlg.ok_button.isEnabled()
    dlg.by.setText("")
    assert not dlg.ok_button.isEnabled()        # who decided is required
    dlg.by.setText("规划员乙")
    assert dlg.ok_button.isEnabled()
    assert dlg.values() == ("C", "已整改到位", "规划员乙")
    assert "3" in dlg.windowTitle()
    dlg.deleteLater()


def test_keyboard_tab_order_enter_and_escape(graded):
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest
    from qgis.PyQt.QtWidgets import QApplication, QDialog

    dlg = grade_dialog(graded, fid_of(graded, "330122001001GB00011"))
    assert dlg.reason.tabChangesFocus()
    dlg.show()
    QApplication.setActiveWindow(dlg)
    dlg.choice.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(3):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[:3] == [dlg.choice, dlg.reason, dlg.by]
    assert "&" not in dlg.ok_button.text()
    dlg.choice.setFocus()
    # Enter in the reason does nothing while incomplete, saves once complete
    QTest.keyClick(dlg.reason, Qt.Key.Key_Return)
    assert dlg.isVisible() and dlg.result() == 0
    dlg.choice.setCurrentIndex(dlg.choice.findData("D"))
    dlg.reason.insertPlainText("长期停产")  # QTest types Latin keys only
    QTest.keyClick(dlg.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)   # a new line, not saved
    assert dlg.isVisible() and dlg.reason.toPlainText() == "长期停产\n"
    dlg.reason.insertPlainText("，拟收储")
    QTest.keyClick(dlg.reason, Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.values() == ("D", "长期停产\n，拟收储", "规划员甲")
    dlg.deleteLater()
    # Escape cancels
    other = grade_dialog(graded, fid_of(graded, "330122001001GB00011"))
    other.show()
    QTest.keyClick(other, Qt.Key.Key_Escape)
    assert other.result() == QDialog.DialogCode.Rejected and not other.isVisible()
    other.deleteLater()


def _chain(widget, n):
    out, w = [], widget
    for _ in range(n):
        w = w.nextInFocusChain()
        out.append(w)
    return out


def test_chinese_labels_without_mnemonics(graded):
    from qgis.PyQt.QtWidgets import QFormLayout, QLabel

    from landeval_plugin.i18n import install_translator, remove_translator

    assert install_translator("zh-Hans")
    try:
        dlg = grade_dialog(graded, fid_of(graded, "330122001001GB00011"))
    finally:
        remove_translator()
    labels = [w.text() for w in dlg.findChildren(QLabel) if w.objectName().startswith("factName_")]
    for form in dlg.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                labels.append(item.widget().text())
    assert "宗地代码" in labels and "计算类别" in labels and "否决项" in labels and "最终类别" in labels
    assert all("&" not in t for t in labels)
    assert all(not any("a" <= ch.lower() <= "z" for ch in t) for t in labels), labels
    assert dlg.ok_button.text() == "保存研判" and dlg.windowTitle() == "类别研判"
    # long reasons wrap and get the height they need (a one-line row would cut them off)
    reasons = dlg.fact_labels["reasons"]
    assert reasons.minimumHeight() >= reasons.heightForWidth(reasons.minimumWidth()) > 0
    dlg.deleteLater()


def test_the_grade_page_uses_the_dialog(graded, monkeypatch):
    """The 分类评价 page's 研判 goes through this dialog and records the class (undoable)."""
    from qgis.core import QgsProject
    from qgis.PyQt.QtWidgets import QDialog

    from landeval_plugin.gui import review_dialog
    from landeval_plugin.gui.pages import grading

    QgsProject.instance().addMapLayer(graded)
    page = grading.Page(None)
    seen = {}

    class Fake(review_dialog.DecisionDialog):
        def exec(self):
            seen["facts"] = {k: v.text() for k, v in self.fact_labels.items()}
            seen["preselected"] = self.choice.currentData()
            self.choice.setCurrentIndex(self.choice.findData("C"))
            self.reason.setPlainText("已整改")
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(grading, "DecisionDialog", Fake)
    try:
        page.layer.setLayer(graded)
        fid = fid_of(graded, "330122001001GB00011")
        graded.selectByIds([fid])
        assert page._review() == 1
        assert seen["facts"]["code"] == "330122001001GB00011" and seen["preselected"] is None
        f = graded.getFeature(fid)
        assert f["grade_final"] == "C" and f["override_reason"] == "已整改" and f["override_by"]
        graded.undoStack().undo()
        assert not graded.getFeature(fid)["grade_final"]
    finally:
        page.unload()
        QgsProject.instance().removeAllMapLayers()
