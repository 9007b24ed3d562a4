"""The 研判 page: the review meeting (研判会). Pick a list of parcels (the D parcels of a town, a
cluster's members, the parcels whose class or path changed, the selection, an expression), go
through it with → ← (the map zooms to and flashes each parcel; a large-print card shows its
class, area, indicators, reasons, enterprises and proposed path), record the room's decision with
Enter (confirm, or change class or path with a reason), undo, see the progress (已研判 12 / 45),
resume later from the project, and write the 会议纪要.

The logic is in core/meeting/walkthrough.py; this page only shows it.
"""
import html
import importlib.util
import os

from qgis.core import Qgis, QgsCoordinateTransform, QgsMapLayerProxyModel, QgsProject, QgsSettings, QgsVectorLayer
from qgis.gui import QgsCollapsibleGroupBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate, QSize, Qt
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.disposal import disposal
from ...core.grading.standard import GRADE_NAMES, GRADES
from ...core.meeting import walkthrough as w
from ...core.meeting import year_filter as yf
from ...core.meeting.text import tr as document_tr
from ...i18n import tr
from ..presentation import Presentation, exportmap_available
from ..review_dialog import os_user

SETTINGS = "landeval/review/"
KEEP = "__keep__"
CARD_POINT = 15  # pt: the card is read from across a meeting room
BADGE_POINT = 34


def list_kinds():
    return [(w.TOWN, tr("Town and class")), (w.CLUSTER, tr("Cluster members")),
            (w.CHANGED, tr("Class or path changed")), (w.SINCE, tr("Class changed since last year")),
            (w.SELECTION, tr("Selected parcels")),
            (w.EXPRESSION, tr("Expression"))]


class CardScroll(QScrollArea):
    """The card's scroll box: → ← and Enter go to the page (next, previous, record), not to the
    scroll bars."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumHeight(100)

    def sizeHint(self):  # noqa: N802
        # small: the page then fits the dock and this box takes the height left (the dock's scroll
        # area sizes a page with word-wrapped labels by its size hint)
        hint = super().sizeHint()
        return QSize(hint.width(), self.minimumHeight() + 40)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        super().keyPressEvent(event)


class Page(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.session = None
        self.layer = None
        self.feature = None
        self.current_card = None
        self._last_year = None
        self.enterprises = None
        self.presentation = None
        self._layer_signals = []
        self._map_year = None  # (layer, year) the map is to show alone, until the meeting ends
        self._map_watch = None  # the layer whose editingStopped retries the filter
        self._build()
        self.layer_combo.layerChanged.connect(self._layer_chosen)
        self._layer_chosen(self.layer_combo.currentLayer())
        project = QgsProject.instance()
        self._signals = [(project.readProject, self._project_read), (project.cleared, self._project_cleared)]
        for signal, slot in self._signals:
            signal.connect(slot)
        self._offer_resume()

    def title(self):
        return tr("Review")

    # ---- widgets ---------------------------------------------------------------------------------
    def _build(self):
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.present_button = QPushButton(tr("Presentation"), self)
        self.present_button.setObjectName("reviewPresent")
        self.present_button.setToolTip(tr("Full screen for the projector: a clean map with title, date and the "
                                          "legend of the classes; Esc leaves it."))
        self.present_button.setCheckable(True)
        self.inner = QTabWidget(self)
        self.inner.setObjectName("reviewTabs")
        self.inner.setCornerWidget(self.present_button, Qt.Corner.TopRightCorner)
        outer.addWidget(self.inner, 1)
        walk = QWidget(self.inner)
        walk.setObjectName("reviewWalk")
        self.inner.addTab(walk, tr("Walk-through"))
        layout = QVBoxLayout(walk)
        # the list and the meeting: folded once the walk-through runs, so the card is in view
        self.setup_box = QgsCollapsibleGroupBox(tr("Meeting and list"), walk)
        self.setup_box.setObjectName("reviewSetup")
        setup = QVBoxLayout(self.setup_box)
        form = QFormLayout()
        self.layer_combo = QgsMapLayerComboBox(self)
        self.layer_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        form.addRow(tr("Graded parcels"), self.layer_combo)
        self.previous_combo = QgsMapLayerComboBox(self)
        self.previous_combo.setObjectName("reviewPrevious")
        self.previous_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.previous_combo.setAllowEmptyLayer(True)
        self.previous_combo.setLayer(None)
        self.previous_combo.setToolTip(tr("Optional: last year's graded layer; the card shows each parcel's class "
                                          "on it (matched by parcel code)."))
        form.addRow(tr("Last year's result"), self.previous_combo)
        # a layer of the store holding several years is met on one year (the newest by default)
        self.year_combo = QComboBox(self)
        self.year_combo.setObjectName("reviewYear")
        self.year_combo.setToolTip(tr("The layer holds several years of the store: the list, the card, the "
                                      "presentation legend, the minutes and the statistics are of this year."))
        self.year_label = QLabel(tr("Evaluation year"), self)
        # the map and the layers panel show the meeting's year alone (a filter on the layer); this
        # button gives the layer its own filter back
        self.all_years_button = QPushButton(tr("Show every year"), self)
        self.all_years_button.setObjectName("reviewAllYears")
        self.all_years_button.setToolTip(tr("The layer shows one year alone (LandEval's filter \"year\" = …); "
                                            "this gives the layer back the filter it had before. No data is "
                                            "changed."))
        self.all_years_button.setVisible(False)
        self.year_row = QWidget(self)
        year_box = QHBoxLayout(self.year_row)
        year_box.setContentsMargins(0, 0, 0, 0)
        year_box.addWidget(self.year_combo, 1)
        year_box.addWidget(self.all_years_button)
        form.addRow(self.year_label, self.year_row)
        s = QgsSettings()
        self.title_edit = QLineEdit(s.value(SETTINGS + "title", "") or tr("Review meeting"), self)
        form.addRow(tr("Meeting"), self.title_edit)
        self.date_edit = QDateEdit(QDate.currentDate(), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.by_edit = QLineEdit(s.value(SETTINGS + "by", "") or os_user(), self)
        self.by_edit.setObjectName("reviewBy")
        when = QHBoxLayout()
        when.addWidget(self.date_edit)
        when.addWidget(QLabel(tr("Reviewer"), self))
        when.addWidget(self.by_edit, 1)
        form.addRow(tr("Date"), when)
        self.kind_combo = QComboBox(self)
        for kind, label in list_kinds():
            self.kind_combo.addItem(label, kind)
        form.addRow(tr("List"), self.kind_combo)
        pick = QHBoxLayout()
        self.value_combo = QComboBox(self)
        self.value_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.value_combo.setMinimumContentsLength(8)
        self.grade_filter = QComboBox(self)
        self.grade_filter.addItem(tr("all classes"), "")
        for g in GRADES:
            self.grade_filter.addItem("{} {}".format(g, GRADE_NAMES.get(g, "")), g)
        self.grade_filter.setCurrentIndex(self.grade_filter.findData("D"))
        self.expression_edit = QLineEdit(self)
        self.expression_edit.setPlaceholderText('"score" < 60 and "town" = \'旧县街道\'')
        pick.addWidget(self.value_combo, 1)
        pick.addWidget(self.grade_filter)
        pick.addWidget(self.expression_edit, 2)
        form.addRow("", pick)
        setup.addLayout(form)
        start = QHBoxLayout()
        self.start_button = QPushButton(tr("Start the walk-through"), self)
        self.resume_button = QPushButton(tr("Resume"), self)
        self.resume_button.setEnabled(False)
        self.minutes_button = QPushButton(tr("Minutes…"), self)
        self.minutes_button.setEnabled(False)
        start.addWidget(self.start_button)
        start.addWidget(self.resume_button)
        start.addStretch(1)
        start.addWidget(self.minutes_button)
        setup.addLayout(start)
        layout.addWidget(self.setup_box)
        self.status = QLabel(self)
        self.status.setObjectName("reviewStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        bar = QHBoxLayout()
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("reviewProgress")
        self.position_label = QLabel(self)
        self.position_label.setObjectName("reviewPosition")
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        bar.addWidget(self.progress_label)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.position_label)
        self.jump_combo = QComboBox(self)  # the list itself: ✓ for decided parcels; choose one to go there
        self.jump_combo.setObjectName("reviewJump")
        self.jump_combo.setToolTip(tr("The list: ✓ marks the parcels decided; choose one to go to it"))
        self.jump_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.jump_combo.setMinimumContentsLength(24)  # "12. 330122003010GB00048 ✓" whole
        self.jump_combo.activated.connect(self.jump)
        layout.addLayout(bar)
        jump_row = QHBoxLayout()
        jump_row.addWidget(QLabel(tr("List"), self))
        jump_row.addWidget(self.jump_combo, 1)
        layout.addLayout(jump_row)

        # the card: large print, read from the room
        self.card = QFrame(self)
        self.card.setObjectName("reviewCard")
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        grid = QGridLayout(self.card)
        big = QFont(self.font())
        big.setPointSize(CARD_POINT)
        self.badge = QLabel("—", self.card)
        self.badge.setObjectName("reviewBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge_font = QFont(self.font())
        badge_font.setPointSize(BADGE_POINT)
        badge_font.setBold(True)
        self.badge.setFont(badge_font)
        self.badge.setMinimumSize(84, 84)
        self.headline = QLabel(self.card)
        self.headline.setObjectName("reviewHeadline")
        self.headline.setFont(big)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(self.badge, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.headline, 0, 1)
        grid.setColumnStretch(1, 1)
        self.details = QLabel(self.card)
        self.details.setObjectName("reviewDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        detail_font = QFont(self.font())
        detail_font.setPointSize(CARD_POINT - 3)
        self.details.setFont(detail_font)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.details, 1, 0, 1, 2)
        # the card scrolls inside its own box: the decision row and the buttons below stay in view
        # (at 1366×768 the page's scroll hid them under a long card)
        self.card_scroll = CardScroll(self)
        self.card_scroll.setObjectName("reviewCardScroll")
        self.card_scroll.setWidget(self.card)
        layout.addWidget(self.card_scroll, 1)

        decide = QGridLayout()
        self.class_choice = QComboBox(self)
        self.class_choice.setObjectName("reviewClass")
        self.path_choice = QComboBox(self)
        self.path_choice.setObjectName("reviewPath")
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("reviewReason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(tr("Reason (required when the class or path changes)"))
        self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().lineSpacing() * 2 + 12)
        self.reason_edit.installEventFilter(self)
        decide.addWidget(QLabel(tr("Class"), self), 0, 0)
        decide.addWidget(self.class_choice, 0, 1)
        decide.addWidget(QLabel(tr("Path"), self), 0, 2)
        decide.addWidget(self.path_choice, 0, 3)
        decide.addWidget(self.reason_edit, 1, 0, 1, 4)
        decide.setColumnStretch(1, 1)
        decide.setColumnStretch(3, 1)
        layout.addLayout(decide)
        nav = QHBoxLayout()
        self.prev_button = QPushButton("← " + tr("Previous"), self)
        self.record_button = QPushButton(tr("Record (Enter)"), self)
        self.record_button.setObjectName("reviewRecord")
        self.next_button = QPushButton(tr("Next") + " →", self)
        self.undo_button = QPushButton(tr("Undo"), self)
        for b in (self.prev_button, self.record_button, self.next_button, self.undo_button):
            b.setEnabled(False)
            nav.addWidget(b)
        layout.addLayout(nav)

        self.statistics = None
        # the 统计 tab needs core/meeting/statistics.py
        if importlib.util.find_spec(w.__name__.rsplit(".", 1)[0] + ".statistics") is not None:
            from .review_statistics import StatisticsTab

            # in a scroll box of its own: the table and chart must not make the whole page (and the
            # walk-through's card) taller than the dock at 1366×768
            self.statistics_scroll = QScrollArea(self.inner)
            self.statistics_scroll.setObjectName("reviewStatisticsScroll")
            self.statistics_scroll.setWidgetResizable(True)
            self.statistics_scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.statistics = StatisticsTab(self, self.statistics_scroll)
            self.statistics.setObjectName("reviewStatistics")
            self.statistics_scroll.setWidget(self.statistics)
            self.inner.addTab(self.statistics_scroll, tr("Statistics"))
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.year_combo.activated.connect(self._year_chosen)
        self.all_years_button.clicked.connect(self.show_every_year)
        self.present_button.toggled.connect(self.set_presentation)
        self.start_button.clicked.connect(self.start)
        self.resume_button.clicked.connect(self.resume)
        self.minutes_button.clicked.connect(self.export_minutes_dialog)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.record_button.clicked.connect(self.record)
        self.undo_button.clicked.connect(self.undo)
        self.class_choice.currentIndexChanged.connect(self._choice_changed)
        self.path_choice.currentIndexChanged.connect(self._choice_changed)
        self.by_edit.editingFinished.connect(
            lambda: QgsSettings().setValue(SETTINGS + "by", self.by_edit.text().strip()))
        self.title_edit.editingFinished.connect(
            lambda: QgsSettings().setValue(SETTINGS + "title", self.title_edit.text().strip()))
        self._kind_changed()

    # ---- list choice -----------------------------------------------------------------------------
    def _layer_chosen(self, layer):
        self._fill_years(layer)
        self._kind_changed()
        if self.statistics is not None:
            self.statistics.fill_towns()

    def _fill_years(self, layer):
        """The year choice: shown for a store layer of several years, the newest chosen."""
        years = w.layer_years(layer) if isinstance(layer, QgsVectorLayer) else []
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in reversed(years):
            self.year_combo.addItem(str(y), y)
        self.year_combo.setCurrentIndex(0)
        self.year_combo.blockSignals(False)
        for widget in (self.year_combo, self.year_label, self.year_row):
            widget.setVisible(bool(years))
        shown = yf.shown_year(layer) if isinstance(layer, QgsVectorLayer) else None
        if shown is not None:  # a filter of an earlier meeting (saved with the project)
            self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(shown)))
        self.all_years_button.setVisible(shown is not None)

    def chosen_year(self):
        """The year the meeting reads on the chosen layer: the session's when one runs on it, else the
        year choice; None for a layer of one year."""
        layer = self.layer_combo.currentLayer()
        if self.session is not None and self.layer is not None and layer is self.layer:
            return self.session.year
        return self.year_combo.currentData() if self.year_combo.count() else None

    def _kind_changed(self, *args):
        kind = self.kind_combo.currentData()
        layer = self.layer_combo.currentLayer()
        self.value_combo.clear()
        if kind == w.TOWN:
            self.value_combo.addItem(tr("all towns"), "")
            for town in (w.distinct(layer, "town") if isinstance(layer, QgsVectorLayer) else []):
                self.value_combo.addItem(town, town)
        elif kind == w.CLUSTER:
            for cid in (w.distinct(layer, "cluster_id") if isinstance(layer, QgsVectorLayer) else []):
                self.value_combo.addItem(cid, cid)
        self.value_combo.setVisible(kind in (w.TOWN, w.CLUSTER))
        self.grade_filter.setVisible(kind == w.TOWN)
        self.expression_edit.setVisible(kind == w.EXPRESSION)

    def start(self):
        """Build the chosen list and show its first parcel."""
        layer = self.layer_combo.currentLayer()
        kind = self.kind_combo.currentData()
        try:
            previous = self.previous_combo.currentLayer()
            w.require_grades(layer)
            year = w.meeting_year(layer, self.year_combo.currentData() if self.year_combo.count() else None)
            items, what = w.build_list(layer, kind, self.value_combo.currentData() or None,
                                       self.grade_filter.currentData(), self.expression_edit.text(),
                                       previous if isinstance(previous, QgsVectorLayer) else None, year)
        except w.MeetingError as exc:
            self._fail(str(exc))
            return None
        if self.session is not None and self.layer is not None:
            self.session.save(QgsProject.instance())
        session = w.Session(layer.id(), items, kind, what, self.title_edit.text().strip(),
                            self.date_edit.date().toString("yyyy-MM-dd"), layer_name=layer.name(), year=year)
        self.open_session(session, layer)
        return session

    def resume(self):
        session = w.Session.load(QgsProject.instance())
        if session is None:
            self._fail(tr("No meeting is stored in this project."))
            return None
        try:
            layer = session.layer(QgsProject.instance())
        except w.MeetingError as exc:
            self._fail(str(exc))
            return None
        self.title_edit.setText(session.title)
        self.date_edit.setDate(QDate.fromString(session.date, "yyyy-MM-dd"))
        self.layer_combo.setLayer(layer)
        if session.year is not None:
            self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(session.year)))
        self.open_session(session, layer)
        return session

    def _offer_resume(self):
        session = w.Session.load(QgsProject.instance())
        self.resume_button.setEnabled(session is not None)
        self.resume_button.setToolTip(tr("{} · {} · {} parcels, at {}").format(
            session.title, session.describe, len(session), session.position + 1) if session else "")

    def _project_read(self, *args):
        self.close_session()
        self._offer_resume()

    def _project_cleared(self, *args):
        self.close_session()
        self.resume_button.setEnabled(False)

    def open_session(self, session, layer):
        self._unwatch()
        self.session = session
        self.layer = layer
        self._last_year = None  # (the chosen last year's layer, where the card reads last year's class)
        self.enterprises = self._enterprise_layer()
        self._watch(layer)
        self._fill_paths(layer)
        self.minutes_button.setEnabled(True)
        self.undo_button.setEnabled(True)
        text = tr("{}: {} parcels. → next, ← previous, Enter records the decision.").format(
            session.describe, len(session))
        if self._map_year is not None and self._map_year[0] is not layer:
            self.show_every_year()  # the earlier meeting's layer gets its own filter back
        if session.year is not None:
            # the list, card, legend and minutes are that year's: the map and the layers panel too
            text += " " + self.show_map_year(layer, session.year)
        self.status.setText(text)
        self.show_current()
        self.session.save(QgsProject.instance())
        self.resume_button.setEnabled(True)
        self.setup_box.setCollapsed(True)
        self.fold_dock_heads()
        self.card.setFocus()

    def fold_dock_heads(self):
        """Fold the dock's 从这里开始 and 项目 / 存储库 boxes (a click opens them again): at 1366×768
        the card and the decision row are then in view without scrolling."""
        dock = self._dock()
        folded = []
        for name in ("strip", "store_panel"):
            part = getattr(dock, name, None) if dock is not None else None
            if isinstance(part, QgsCollapsibleGroupBox) and not part.isCollapsed():
                part.setCollapsed(True)
                folded.append(name)
        return folded

    # ---- the map shows the meeting's year (core/meeting/year_filter.py) -------------------------
    def _year_chosen(self, *args):
        """The planner chose a year: the map follows when a meeting or the presentation runs on it."""
        layer = self.layer_combo.currentLayer()
        year = self.year_combo.currentData()
        if year is None or not isinstance(layer, QgsVectorLayer):
            return
        if self.session is not None and layer is self.layer:
            return  # the meeting runs on its year: the map follows when the list of this year starts
        if (self.presentation is not None and self.presentation.active) or (
                self._map_year is not None and self._map_year[0] is layer):
            self.status.setText(self.show_map_year(layer, year))

    def show_map_year(self, layer, year):
        """Show ``year`` alone on the map and in the layers panel (a filter on ``layer``, its own
        kept); says so on the message bar. Returns the sentence for the status line. When QGIS
        cannot change the filter now (unsaved edits), it is done when the edits are saved."""
        if self._map_year is not None and self._map_year[0] is not layer:
            self.show_every_year()
        self._map_year = (layer, int(year))
        mine = yf.user_filter(layer)
        reason = yf.show_year(layer, year)
        shown = yf.shown_year(layer)
        if not reason:
            self._watch_editing(None)
            self.all_years_button.setVisible(True)
            if mine.strip():
                text = tr("The map and the layers panel show year {} alone: your filter {} and \"year\" = {} on "
                          "layer “{}” (“Show every year” gives your filter back; no data is changed).").format(
                    year, mine, year, layer.name())
            else:
                text = tr("The map and the layers panel show year {} alone: filter \"year\" = {} on layer “{}” "
                          "(“Show every year” removes it; no data is changed).").format(year, year, layer.name())
            self._message(text, Qgis.MessageLevel.Info)
            return text
        self._watch_editing(layer)
        now = tr("year {} alone").format(shown) if shown is not None else tr("every year")
        text = tr("The map still shows {} of layer “{}”: {}").format(now, layer.name(), reason)
        self._message(text, Qgis.MessageLevel.Warning)
        return text

    def show_every_year(self):
        """Give the layer LandEval filtered the filter it had before (the meeting ended, or the
        planner asked). Returns '' when done, else the reason (then done when its edits are saved)."""
        if self._map_year is None:
            layer = self.layer_combo.currentLayer()  # a filter of an earlier session, saved with the project
            if not isinstance(layer, QgsVectorLayer) or yf.shown_year(layer) is None:
                self.all_years_button.setVisible(False)
                return ""
        else:
            layer = self._map_year[0]
        try:
            mine = yf.user_filter(layer)
            reason = yf.restore(layer)
            name = layer.name()
        except RuntimeError:  # the layer was deleted with its project
            self._map_year = None
            self._watch_editing(None)
            return ""
        if reason:
            self._map_year = (layer, None)
            self._watch_editing(layer)
            text = tr("Layer “{}” keeps showing one year until its edits are saved: {}").format(name, reason)
            self.status.setText(text)
            self._message(text, Qgis.MessageLevel.Warning)
            return reason
        self._map_year = None
        self._watch_editing(None)
        self.all_years_button.setVisible(False)
        text = tr("Layer “{}” shows every year again (its filter: {}).").format(
            name, mine if mine.strip() else tr("none"))
        self.status.setText(text)
        self._message(text, Qgis.MessageLevel.Info)
        return ""

    def _watch_editing(self, layer):
        """Retry the filter when ``layer``'s edits are saved or discarded (None: stop watching)."""
        if self._map_watch is not None:
            try:
                self._map_watch.editingStopped.disconnect(self._editing_stopped)
            except (TypeError, RuntimeError):
                pass
        self._map_watch = layer
        if layer is not None:
            layer.editingStopped.connect(self._editing_stopped)

    def _editing_stopped(self):
        if self._map_year is None:
            return
        layer, year = self._map_year
        if year is None:
            self.show_every_year()
        else:
            self.status.setText(self.show_map_year(layer, year))

    def _message(self, text, level):
        if self.iface is not None:
            self.iface.messageBar().pushMessage("LandEval", text, level, 8)

    def close_session(self):
        if self._map_year is not None:  # the meeting ends: the layer gets its own filter back
            self.show_every_year()
        if self.layer is not None:
            self._unwatch()
        self._layer_signals = []
        self.session = None
        self.layer = None
        self.feature = None
        for b in (self.prev_button, self.record_button, self.next_button, self.undo_button, self.minutes_button):
            b.setEnabled(False)
        self.badge.setText("—")
        self.badge.setStyleSheet("")
        self.headline.setText("")
        self.details.setText("")
        self.progress_label.setText("")
        self.position_label.setText("")
        self.jump_combo.clear()

    def _enterprise_layer(self):
        """The project's enterprises table (the data step's OUTPUT_ENTERPRISES), when there is one."""
        for lay in QgsProject.instance().mapLayers().values():
            if isinstance(lay, QgsVectorLayer) and not lay.isSpatial() and \
                    {"parcel_code", "enterprise_name"} <= set(lay.fields().names()):
                return lay
        return None

    def _fill_paths(self, layer):
        self.path_choice.blockSignals(True)
        self.path_choice.clear()
        self.path_choice.addItem(tr("keep"), KEEP)
        names = layer.fields().names()
        found = []
        if "disposal" in names or "disposal_final" in names:
            ruleset = None
            key = QgsSettings().value("landeval/disposal/ruleset", disposal.DEFAULT_RULESET)
            try:
                ruleset = disposal.load_ruleset(key)
            except disposal.DisposalError:
                pass
            found = list(ruleset.paths) if ruleset is not None else []
            for name in ("disposal", "disposal_final"):
                if name in names:
                    for v in layer.uniqueValues(names.index(name)):
                        t = w.text_of(v)
                        if t and t not in found:
                            found.append(t)
        for p in found:
            self.path_choice.addItem(p, p)
        self.path_choice.setEnabled(bool(found))
        self.path_choice.blockSignals(False)

    def _watch(self, layer):
        self._layer_signals = [(layer.undoStack().indexChanged, self._undo_moved),
                               (layer.featureDeleted, self._feature_deleted),
                               (layer.willBeDeleted, self._layer_gone)]
        for signal, slot in self._layer_signals:
            signal.connect(slot)

    def _unwatch(self):
        for signal, slot in self._layer_signals:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._layer_signals = []

    def _undo_moved(self, *args):
        self.update_progress()
        if self.session is not None:
            self.show_current(zoom=False)

    def _feature_deleted(self, fid):
        if self.session is not None and self.session.current()[0] == fid:
            self.show_current(zoom=False)

    def _layer_gone(self, *args):
        name = self.session.layer_name if self.session is not None else ""  # the layer is half gone
        self.layer = None
        self.close_session()
        self._fail(tr("Layer “{}” was removed: the meeting stays stored in the project; open the layer and "
                      "resume.").format(name))

    # ---- walking ---------------------------------------------------------------------------------
    def step(self, n):
        if self.session is None:
            return None
        self.session.move(n)
        self.session.save(QgsProject.instance())
        self.show_current()
        return self.session.position

    def show_current(self, zoom=True):
        session, layer = self.session, self.layer
        fid, code = session.current()
        self.prev_button.setEnabled(session.position > 0)
        self.next_button.setEnabled(session.position < len(session) - 1)
        if session.year is None:
            self.position_label.setText(tr("Parcel {} / {}").format(session.position + 1, len(session)))
        else:  # one year of a store layer of several years: say which
            self.position_label.setText(tr("Parcel {} / {} · year {}").format(session.position + 1, len(session),
                                                                              session.year))
        self.update_progress()
        self.feature = w.find_feature(layer, fid, code, session.year)
        if self.feature is None:
            self.current_card = None
            self.badge.setText("?")
            self.badge.setStyleSheet("")
            self.headline.setText(html.escape(code))
            self.details.setText(html.escape(tr("Parcel {} is no longer on layer “{}” (deleted?). Go on with the "
                                                "next one; the list and the decisions are kept.").format(
                code, layer.name())))
            self.record_button.setEnabled(False)
            for widget in (self.class_choice, self.path_choice, self.reason_edit):
                widget.setEnabled(False)  # nothing to decide on a parcel that is gone
            return None
        self.class_choice.setEnabled(True)
        self.reason_edit.setEnabled(True)
        self.path_choice.setEnabled(self.path_choice.count() > 1)
        previous = self.previous_combo.currentLayer()
        previous = previous if isinstance(previous, QgsVectorLayer) and previous is not layer else None
        if self._last_year is None or self._last_year[0] is not previous:
            self._last_year = (previous, w.last_year_source(layer, session.year, previous))
        source, source_year = self._last_year[1]
        self.current_card = c = w.card(layer, self.feature, self.enterprises, source, source_year)
        self.record_button.setEnabled(True)
        self._show_card(c)
        self._preset_choices(c)
        if zoom:
            self.zoom_to(self.feature)
        return c

    def _show_card(self, c):
        self.card_scroll.verticalScrollBar().setValue(0)
        colour = c["colour"] or "#999999"
        self.badge.setText(c["grade"] or "—")
        self.badge.setStyleSheet("background:{}; color:{}; border-radius:6px; padding:6px;".format(
            colour, "#000000" if colour.lower() in ("#ffff00", "#ffffbf", "#fee08b", "#a6d96a") else "#ffffff"))
        e = html.escape
        nd = c["no_data"]
        head = "<b>{}</b> {}<br>{} · {}".format(e(c["grade_name"] or ""), e(c["code"] or ""),
                                                e(c["owner"] or nd), e(c["town"] or nd))
        area = "—" if c["area_mu"] is None else "{:,.2f}".format(c["area_mu"])
        head += "<br>" + e(tr("Area {} mu").format(area))
        if c["last_year"]:
            head += " · " + e(tr("last year {}").format(c["last_year"]))
        if c["grade_computed"] and c["grade"] and c["grade_computed"] != c["grade"]:
            head += " · " + e(tr("computed {}").format(c["grade_computed"]))
        self.headline.setText(head)
        parts = []

        def line(label, value):
            parts.append("<p style='margin:2px 0'><b>{}</b>：{}</p>".format(e(label), e(str(value or nd))))

        line(tr("Score / rank"), "{} / {}".format(c["score"] or nd, c["rank"] or nd))
        line(tr("Reasons"), c["reasons"])
        line(tr("Veto items"), c["veto"])
        line(tr("Low-efficiency tags"), c["tags"])
        if c["indicators"]:
            rows = "".join("<tr><td>{}</td><td align='right'>{}</td><td align='right'>{}</td>"
                           "<td align='right'>{}</td></tr>".format(e(r["name"]), e(r["v0"]), e(r["benchmark"]),
                                                                  e(r["score"])) for r in c["indicators"])
            parts.append("<table cellspacing='0' cellpadding='3' border='1' style='border-color:#bbb'><tr><th>{}</th>"
                         "<th>{}</th><th>{}</th><th>{}</th></tr>{}</table>".format(
                             e(tr("Indicator")), e(tr("Value")), e(tr("Benchmark")), e(tr("Item score")), rows))
        if c["enterprises"]:
            line(tr("Enterprises on the parcel"), "；".join("{}（{}）".format(x["enterprise_name"], x["d_tax"])
                                              for x in c["enterprises"][:6]) +
                 ("…" if len(c["enterprises"]) > 6 else ""))
        if c["has_path"]:
            line(tr("Path"), c["path"] or tr("none"))
            line(tr("Basis of the proposal"), c["path_reason"])
        if c["decision_at"]:
            line(tr("Last decision"), "{}（{}，{}）".format(c["decision"], c["decision_by"], c["decision_at"]))
        self.details.setText("".join(parts))

    def _preset_choices(self, c):
        for combo in (self.class_choice, self.path_choice):
            combo.blockSignals(True)
        self.class_choice.clear()
        for g in GRADES:
            label = "{} {}".format(g, GRADE_NAMES.get(g, ""))
            if g == c["grade"]:
                label = tr("{} (keep)").format(label)
            self.class_choice.addItem(label, g)
        self.class_choice.setCurrentIndex(max(0, self.class_choice.findData(c["grade"])))
        idx = self.path_choice.findData(c["path"]) if c["path"] else 0
        self.path_choice.setCurrentIndex(max(0, idx))
        for combo in (self.class_choice, self.path_choice):
            combo.blockSignals(False)
        self.reason_edit.clear()
        self._choice_changed()

    def _choice_changed(self, *args):
        c = self.current_card
        if c is None:
            return
        changed = self.class_choice.currentData() != c["grade"] or (
            self.path_choice.currentData() not in (KEEP, c["path"]))
        self.record_button.setText(tr("Record the change (Enter)") if changed else tr("Confirm (Enter)"))

    def zoom_to(self, feature):
        if self.iface is None or not feature.hasGeometry():
            return
        canvas = self.iface.mapCanvas()
        geom = feature.geometry()
        xform = QgsCoordinateTransform(self.layer.crs(), canvas.mapSettings().destinationCrs(), QgsProject.instance())
        extent = xform.transformBoundingBox(geom.boundingBox())
        extent.scale(3.0)
        canvas.setExtent(extent)
        canvas.refresh()
        if hasattr(canvas, "flashGeometries"):
            canvas.flashGeometries([geom], self.layer.crs())

    def update_progress(self):
        if self.session is None or self.layer is None:
            return 0, 0
        done, total = w.progress(self.layer, self.session)
        self.progress_label.setText(tr("Reviewed {} / {}").format(done, total))
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        decided = w.decided_codes(self.layer, self.session)
        self.jump_combo.blockSignals(True)
        if self.jump_combo.count() != len(self.session):
            self.jump_combo.clear()
            for _ in self.session.items:
                self.jump_combo.addItem("")
        for n, (_, code) in enumerate(self.session.items):
            self.jump_combo.setItemText(n, "{}. {}{}".format(n + 1, code, " ✓" if code in decided else ""))
        self.jump_combo.setCurrentIndex(self.session.position)
        self.jump_combo.blockSignals(False)
        return done, total

    def jump(self, index):
        """Go to parcel ``index`` of the list (the list combo)."""
        if self.session is None:
            return None
        self.session.go(index)
        self.session.save(QgsProject.instance())
        self.show_current()
        self.card.setFocus()
        return self.session.position

    # ---- deciding --------------------------------------------------------------------------------
    def record(self):
        """Record the decision shown (confirm, or the changed class / path with the reason) and go on."""
        if self.session is None or self.layer is None:
            return None
        fid, code = self.session.current()
        grade = self.class_choice.currentData()
        path = self.path_choice.currentData()
        path = None if path == KEEP else path
        by = self.by_edit.text().strip()
        try:
            rec = w.decide(self.layer, self.session, fid, code, grade, path, self.reason_edit.toPlainText(), by)
        except w.MeetingError as exc:
            self._fail(str(exc))
            return None
        QgsSettings().setValue(SETTINGS + "by", by)
        self.session.save(QgsProject.instance())
        text = tr("{}: confirmed by {}.").format(code, by) if rec["action"] == w.CONFIRM else \
            tr("{}: class {}, path {} recorded by {}.").format(code, rec["grade_after"], rec["path_after"] or "—", by)
        self.status.setText(text + " " + tr("Save the layer edits to keep it (Undo takes it back)."))
        self.update_progress()
        if self.session.position < len(self.session) - 1:
            self.step(1)
        else:
            self.show_current(zoom=False)
        self.card.setFocus()
        return rec

    def undo(self):
        if self.layer is None:
            return
        stack = self.layer.undoStack()
        if stack.canUndo():
            stack.undo()
            # the command just undone is now the one to redo (undoText() names the one before it)
            self.status.setText(tr("Undone: {}").format(stack.redoText()))

    def keyPressEvent(self, event):  # noqa: N802
        key = event.key()
        if self.session is not None and key == Qt.Key.Key_Right:
            self.step(1)
        elif self.session is not None and key == Qt.Key.Key_Left:
            self.step(-1)
        elif self.session is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.record()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def eventFilter(self, obj, event):
        from qgis.PyQt.QtCore import QEvent

        # Enter in the reason records; Shift+Enter breaks the line
        if obj is self.reason_edit and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.record()
            return True
        return super().eventFilter(obj, event)

    # ---- presentation ----------------------------------------------------------------------------
    def _dock(self):
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QDockWidget):
            parent = parent.parentWidget()
        return parent

    def set_presentation(self, on):
        """Enter (on) or leave the presentation mode (gui/presentation.py)."""
        if self.iface is None:
            return None
        if self.presentation is None:
            self.presentation = Presentation(self.iface, self._dock(), self)
            self.presentation.on_exit = lambda: self.present_button.setChecked(False)
        if not on:
            self.presentation.leave()
            return False
        layer = self.layer or self.layer_combo.currentLayer()
        title = (self.session.title if self.session is not None else self.title_edit.text().strip()) or \
            tr("Review meeting")
        date = self.session.date if self.session is not None else self.date_edit.date().toString("yyyy-MM-dd")
        export = self.export_map if exportmap_available() else None
        year = self.chosen_year() if layer is self.layer_combo.currentLayer() else (
            self.session.year if self.session is not None else None)
        if year is not None and isinstance(layer, QgsVectorLayer) and (
                self._map_year is None or self._map_year[0] is not layer or self._map_year[1] != year):
            self.status.setText(self.show_map_year(layer, year))  # the projector shows that year alone
        self.presentation.enter(title, date, layer if isinstance(layer, QgsVectorLayer) else None, export, year)
        return True

    def export_map(self, path=None):
        """Print the map as it is on screen (its extent) with landeval:exportmap to PDF and PNG (A3
        landscape, the meeting's title and date, the class legend with parcels and 亩). ``path``: the
        PDF (the PNG goes beside it); asked for when None. Returns the algorithm's results or None."""
        if not exportmap_available():
            self._fail(tr("The map export (landeval:exportmap) is not available in this version."))
            return None
        layer = self.layer or self.layer_combo.currentLayer()
        if not isinstance(layer, QgsVectorLayer) or not w.has_grades(layer):
            self._fail(tr("Choose the graded parcel layer for the meeting."))
            return None
        title = (self.session.title if self.session is not None else self.title_edit.text().strip()) or \
            tr("Review meeting")
        date = self.session.date if self.session is not None else self.date_edit.date().toString("yyyy-MM-dd")
        if path is None:
            folder = QgsSettings().value(SETTINGS + "folder", os.path.expanduser("~"))
            path, _ = QFileDialog.getSaveFileName(self, tr("Export the map"), os.path.join(
                folder, "{}_{}.pdf".format(title, date)), tr("PDF file (*.pdf)"))
            if not path:
                return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        params = {"INPUT": layer, "KIND": 0, "PRESET": 1, "TITLE": title, "DATE": date,
                  "OUTPUT_PDF": path, "OUTPUT_PNG": os.path.splitext(path)[0] + ".png", "OVERWRITE": True}
        year = self.session.year if self.session is not None and layer is self.layer else (
            self.chosen_year() if layer is self.layer_combo.currentLayer() else None)
        if year is not None:
            # one year of a store layer of several years: its map, legend and totals (as on the screen)
            params["FILTER"] = w.year_expression(year)
        if self.session is not None and self.session.describe:
            # the map and its totals are the whole layer; the meeting's list is named beside it
            params["SUBTITLE"] = document_tr("{} (meeting list: {}, {} parcels)").format(
                layer.name(), self.session.describe, len(self.session))
        elif year is not None:
            params["SUBTITLE"] = document_tr("{} · year {}").format(layer.name(), year)
        if self.iface is not None:
            canvas = self.iface.mapCanvas()
            e = canvas.extent()
            crs = canvas.mapSettings().destinationCrs()
            params["EXTENT"] = "{},{},{},{} [{}]".format(e.xMinimum(), e.xMaximum(), e.yMinimum(), e.yMaximum(),
                                                         crs.authid())
        import processing
        from qgis.core import QgsProcessingException

        try:
            results = processing.run("landeval:exportmap", params)
        except QgsProcessingException as exc:
            self._fail(tr("The map could not be exported: {}").format(exc))
            return None
        QgsSettings().setValue(SETTINGS + "folder", os.path.dirname(path))
        self.status.setText(tr("Map written to {} and {}").format(params["OUTPUT_PDF"], params["OUTPUT_PNG"]))
        return results

    # ---- minutes ---------------------------------------------------------------------------------
    def export_minutes_dialog(self):
        if self.session is None:
            return None
        folder = QgsSettings().value(SETTINGS + "folder", os.path.expanduser("~"))
        name = "{}_{}.xlsx".format(self.session.title or "研判会", self.session.date)
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the minutes"), os.path.join(folder, name),
                                              tr("Excel workbook (*.xlsx);;Web page for Word (*.html);;CSV (*.csv)"))
        if not path:
            return None
        return self.export_minutes(path)

    def export_minutes(self, path):
        try:
            n = w.write_minutes(path, self.layer, self.session)
        except w.MeetingError as exc:
            self._fail(str(exc))
            return 0
        QgsSettings().setValue(SETTINGS + "folder", os.path.dirname(path))
        self.status.setText(tr("Minutes with {} decisions written to {}").format(n, path))
        return n

    def _fail(self, text):
        self.status.setText(text)
        if self.iface is not None:
            self.iface.messageBar().pushMessage("LandEval", text, Qgis.MessageLevel.Warning, 8)

    def page_actions(self):
        return []

    def unload(self):
        if self.presentation is not None and self.presentation.active:
            self.presentation.leave()
        if self._map_year is not None:
            self.show_every_year()
        self._watch_editing(None)
        if self.session is not None:
            try:
                self.session.save(QgsProject.instance())
            except RuntimeError:
                pass
        self._unwatch()
        if self.statistics is not None:
            self.statistics.unload()
        for signal, slot in self._signals:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._signals = []
        try:
            self.layer_combo.layerChanged.disconnect()
        except (TypeError, RuntimeError):
            pass
