"""The 研判 dialog, one class for the grade (分类评价 page) and the disposal path (处置 page).

It shows what is being decided: the parcel (code, owner, town, area in 亩), the computed class,
score, rank and reasons, the veto flags, the proposed path and the current decision. Nothing is
preselected: the save button stays disabled until a class or path, a reason and who decided are
given. Keyboard: the fields follow in tab order, Enter saves (Shift+Enter breaks a line in the
reason), Escape cancels.
"""
import getpass

from qgis.PyQt.QtCore import QDateTime, QEvent, Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from ..core.dossiers.sheet_data import SheetData
from ..i18n import tr

GRADE, PATH = "grade", "path"
VALUE_WIDTH = 400  # px: the least width of the facts column


def os_user():
    """The login of the person at the machine (the default for 研判人; editable in the dialog)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers, odd environments)
        return ""


def _text(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    text = str(value).strip()
    return text or None


def parcel_facts(layer, fid):
    """{key: text} of one parcel for the dialog, read the way the 一地一档 sheet reads it."""
    feature = layer.getFeature(fid)
    data = SheetData([feature], layer.fields(), layer.crs())
    sheet = data.sheets[0]
    d, raw = sheet.display, sheet.raw
    names = layer.fields().names()

    def field(name):
        return _text(feature[name]) if name in names else None

    mu = raw.get("area_mu")
    grade = field("grade")
    facts = {
        "code": sheet.code or d.get("d_code"),
        "owner": d.get("d_owner"),
        "town": d.get("d_town"),
        "area_mu": "—" if mu is None else "{:,.2f}".format(mu),
        "grade": "—" if grade is None else "{} {}".format(grade, dossier_grade_name(grade)).strip(),
        "score": d.get("d_score"),
        "rank": d.get("d_rank"),
        "reasons": d.get("d_reasons"),
        "veto": d.get("d_veto"),
        "disposal": field("disposal"),
        "disposal_reason": field("disposal_reason"),
    }
    grade_final = field("grade_final")
    facts["grade_decision"] = _decision(grade_final, field("override_reason"), field("override_by"),
                                        field("override_at"))
    facts["path_decision"] = _decision(field("disposal_final"), field("disposal_override_reason"),
                                       field("disposal_override_by"), field("disposal_override_at"))
    return facts


def dossier_grade_name(grade):
    from ..core.grading.standard import GRADE_NAMES

    return GRADE_NAMES.get(str(grade).strip().upper()[:1], "")


def _decision(value, reason, by, at):
    if not value:
        return tr("none yet")
    return tr("{} — {} ({}, {})").format(value, reason or "—", by or "—", at or "—")


class DecisionDialog(QDialog):
    """研判 of a grade (``kind=GRADE``) or of a disposal path (``kind=PATH``).

    ``choices``: [(value, label)]; ``facts``: parcel_facts() of the first parcel; ``count``: how
    many parcels the decision applies to."""

    def __init__(self, kind, choices, facts, count=1, by=None, parent=None):
        super().__init__(parent)
        self.kind = kind
        title = tr("Review the class (研判)") if kind == GRADE else tr("Review the disposal path (研判)")
        if count > 1:
            title += " · " + tr("{} parcels").format(count)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        facts_form = QGridLayout()
        facts_form.setColumnStretch(1, 1)
        self.fact_labels = {}
        rows = [("code", tr("Parcel code")), ("owner", tr("Owner")), ("town", tr("Town")),
                ("area_mu", tr("Area (mu)")), ("grade", tr("Computed class")), ("score", tr("Score")),
                ("rank", tr("Rank")), ("reasons", tr("Reasons")), ("veto", tr("Veto items"))]
        if kind == PATH:
            rows += [("grade_decision", tr("Class decided")), ("disposal", tr("Proposed path")),
                     ("disposal_reason", tr("Basis of the proposal")), ("path_decision", tr("Current decision"))]
        else:
            rows += [("grade_decision", tr("Current decision"))]
        for key, label in rows:
            value = QLabel(str(facts.get(key) or "—"), self)
            value.setWordWrap(True)
            value.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName("fact_" + key)
            # a top-level dialog does not grow rows for wrapped labels by itself: long reasons would be
            # cut off after one line; the label asks for the height its text needs at its least width
            value.setMinimumWidth(VALUE_WIDTH)
            value.setMinimumHeight(value.heightForWidth(VALUE_WIDTH))
            self.fact_labels[key] = value
            row = facts_form.rowCount()
            name = QLabel(label, self)
            name.setObjectName("factName_" + key)
            facts_form.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            facts_form.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
        if count > 1:
            more = QLabel(
                tr("The decision applies to all {} selected parcels; the first is shown.").format(count), self)
            more.setWordWrap(True)
            more.setMinimumWidth(VALUE_WIDTH)
            more.setMinimumHeight(more.heightForWidth(VALUE_WIDTH))
            facts_form.addWidget(more, facts_form.rowCount(), 1)
        layout.addLayout(facts_form)

        form = QFormLayout()
        self.choice = QComboBox(self)
        self.choice.addItem(tr("— choose —"), None)
        for value, label in choices:
            self.choice.addItem(label, value)
        self.choice.setCurrentIndex(0)  # nothing preselected: the planner chooses
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(tr("Why (required); Shift+Enter starts a new line"))
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        self.reason.installEventFilter(self)
        self.by = QLineEdit(by if by is not None else os_user(), self)
        self.when = QLabel(QDateTime.currentDateTime().toString("yyyy-MM-dd HH:mm"), self)
        form.addRow(tr("Final class") if kind == GRADE else tr("Disposal path"), self.choice)
        form.addRow(tr("Reason"), self.reason)
        form.addRow(tr("Reviewer"), self.by)
        form.addRow(tr("Time"), self.when)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Save review"))  # Qt's own translations may be absent
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.choice, self.reason)
        self.setTabOrder(self.reason, self.by)
        self.setTabOrder(self.by, self.ok_button)
        self.choice.currentIndexChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self.by.textChanged.connect(self._update)
        self.choice.setFocus()
        self._update()

    def complete(self):
        return bool(self.choice.currentData() and self.reason.toPlainText().strip() and self.by.text().strip())

    def _update(self, *args):
        self.ok_button.setEnabled(self.complete())

    def eventFilter(self, obj, event):
        # Enter in the reason saves (when complete); Shift+Enter breaks the line
        if obj is self.reason and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._accept()
            return True
        return super().eventFilter(obj, event)

    def _accept(self):
        if self.complete():
            self.accept()

    def values(self):
        """(chosen value, reason, who)"""
        return self.choice.currentData(), self.reason.toPlainText().strip(), self.by.text().strip()

