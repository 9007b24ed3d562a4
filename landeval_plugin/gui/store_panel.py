"""The 项目 / 存储库 part of the LandEval dock (issue 16): create a store or open an existing one
(a GeoPackage file, or a QGIS PostgreSQL connection and schema) and load its layers of a year
into the project with LandEval's styles.

The store is remembered by its reference only (a path or postgres://connection/schema): never a
password; PostgreSQL credentials stay in QGIS's authentication database.
"""
from qgis.core import QgsProject, QgsSettings
from qgis.gui import QgsCollapsibleGroupBox
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from ..core import store as stores
from ..i18n import tr

SETTING = "landeval/store/reference"


class StorePanel(QgsCollapsibleGroupBox):
    store_opened = pyqtSignal(str)  # the reference of the store just opened, "" when opening failed

    def __init__(self, iface=None, parent=None):
        super().__init__(tr("Project / store"), parent)
        self.iface = iface
        self.opened = ""  # the reference of the store opened last in this session ("" when none)
        self.setObjectName("LandEvalStorePanel")
        self.setSettingGroup("landeval/store")
        self.setSaveCollapsedState(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setVerticalSpacing(2)

        self.use_file = QRadioButton(tr("GeoPackage file"), self)
        self.use_pg = QRadioButton(tr("PostgreSQL"), self)
        self.use_file.setChecked(True)
        self.path = QLineEdit(self)
        self.path.setObjectName("LandEvalStorePath")
        self.path.setPlaceholderText(tr("e.g. D:/评估/landeval.gpkg"))
        self.browse = QPushButton("…", self)
        self.browse.setMaximumWidth(36)
        self.browse.setToolTip(tr("Choose a GeoPackage store file"))
        self.connection = QComboBox(self)
        self.connection.setObjectName("LandEvalStoreConnection")
        self.schema = QLineEdit(self)
        self.schema.setObjectName("LandEvalStoreSchema")
        self.schema.setPlaceholderText(tr("schema, e.g. landeval"))
        self.year = QSpinBox(self)
        self.year.setRange(0, 2100)
        self.year.setSpecialValueText(tr("latest"))
        self.year.setToolTip(tr("Evaluation year whose layers are loaded (latest when empty)"))
        self.open_button = QPushButton(tr("Open and load layers"), self)
        self.open_button.setObjectName("LandEvalStoreOpen")
        self.create_button = QPushButton(tr("Create store"), self)
        self.create_button.setObjectName("LandEvalStoreCreate")
        self.register_button = QPushButton(tr("Export register (台账)…"), self)
        self.register_button.setObjectName("LandEvalStoreRegister")
        self.register_button.setToolTip(tr("The year's low-efficiency list and disposal register as a formatted "
                                           "Excel workbook (landeval:registerexport)"))
        self.status = QLabel(self)
        self.status.setObjectName("LandEvalStoreStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        file_row = QWidget(self)
        fl = QHBoxLayout(file_row)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.path, 1)
        fl.addWidget(self.browse)
        pg_row = QWidget(self)
        pl = QHBoxLayout(pg_row)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.connection, 1)
        pl.addWidget(self.schema, 1)
        buttons = QWidget(self)
        bl = QHBoxLayout(buttons)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(QLabel(tr("Year"), self))
        bl.addWidget(self.year)
        bl.addStretch(1)
        bl.addWidget(self.create_button)
        bl.addWidget(self.open_button)
        # on its own row: the panel stays narrow enough to sit beside the map on a laptop
        more = QWidget(self)
        ml = QHBoxLayout(more)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addStretch(1)
        ml.addWidget(self.register_button)
        grid.addWidget(self.use_file, 0, 0)
        grid.addWidget(file_row, 0, 1)
        grid.addWidget(self.use_pg, 1, 0)
        grid.addWidget(pg_row, 1, 1)
        grid.addWidget(buttons, 2, 0, 1, 2)
        grid.addWidget(more, 3, 0, 1, 2)
        grid.addWidget(self.status, 4, 0, 1, 2)

        self.browse.clicked.connect(self._browse)
        self.open_button.clicked.connect(lambda: self.open_store())
        self.create_button.clicked.connect(lambda: self.create_store())
        self.register_button.clicked.connect(lambda: self.export_register())
        self.use_file.toggled.connect(self._sync)
        self.refresh_connections()
        self._restore(QgsSettings().value(SETTING, "") or "")
        self._sync()

    # ---- state --------------------------------------------------------------------------------
    def refresh_connections(self):
        current = self.connection.currentText()
        self.connection.clear()
        try:
            from ..core.store import postgres

            self.connection.addItems(postgres.connection_names())
        except Exception:  # no postgres provider
            pass
        if current:
            self.connection.setCurrentText(current)

    def _restore(self, reference):
        if not reference:
            return
        try:
            kind, where = stores.parse(reference)
        except stores.StoreError:
            return
        if kind == "postgres":
            self.use_pg.setChecked(True)
            self.connection.setCurrentText(where[0])
            self.schema.setText(where[1])
        else:
            self.path.setText(where)

    def _sync(self, *_):
        file_mode = self.use_file.isChecked()
        for w in (self.path, self.browse):
            w.setEnabled(file_mode)
        for w in (self.connection, self.schema):
            w.setEnabled(not file_mode)

    def _browse(self):
        path, _ = QFileDialog.getSaveFileName(self, tr("LandEval store"), self.path.text(),
                                              tr("GeoPackage (*.gpkg)"),
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.path.setText(path if path.lower().endswith(".gpkg") else path + ".gpkg")

    def reference(self):
        if self.use_pg.isChecked():
            conn, schema = self.connection.currentText().strip(), self.schema.text().strip()
            if not conn or not schema:
                raise stores.StoreError(tr("Choose a PostgreSQL connection and type the schema of the store."))
            return stores.pg_reference(conn, schema)
        path = self.path.text().strip()
        if not path:
            raise stores.StoreError(tr("Choose the GeoPackage file of the store."))
        return path

    def _say(self, text, ok=True):
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color: #b00020;")
        if self.iface is not None and hasattr(self.iface, "messageBar") and not ok:
            try:
                from qgis.core import Qgis

                self.iface.messageBar().pushMessage("LandEval", text, Qgis.Warning, 10)
            except Exception:
                pass

    # ---- actions --------------------------------------------------------------------------------
    def create_store(self):
        """Create the store named in the panel; returns True when done."""
        try:
            ref = self.reference()
            store = stores.create_store(ref)
            text = tr("Created {} (schema version {}).").format(store.describe(), store.version)
            store.close()
        except stores.StoreError as exc:
            self._say(str(exc), ok=False)
            return False
        QgsSettings().setValue(SETTING, ref)
        self._say(text)
        return True

    def open_store(self, project=None):
        """Open the store (upgrading an older one) and load its layers of the chosen year; returns
        the loaded layers, or None with the reason shown."""
        try:
            ref = self.reference()
            store = stores.open_store(ref)
            try:
                years = store.years()
                layers = store.load_layers(project or QgsProject.instance(), year=self.year.value() or None)
                text = tr("{}: schema version {}, years {}; {} layers loaded.").format(
                    store.describe(), store.version, ", ".join(str(y) for y in years) or "-", len(layers))
            finally:
                store.close()
        except stores.StoreError as exc:
            self.opened = ""
            self._say(str(exc), ok=False)
            self.store_opened.emit("")
            return None
        QgsSettings().setValue(SETTING, ref)
        self.opened = ref
        self._say(text)
        self.store_opened.emit(ref)
        return layers

    def export_register(self, path=None):
        """The chosen year's (latest when empty) low-efficiency list and register as a formatted
        workbook; asks for the file when ``path`` is None. Returns the path written, or None."""
        from ..core import files
        from ..core.store import register

        try:
            ref = self.reference()
            store = stores.open_store(ref)
            try:
                years = store.years()
                year = self.year.value() or (years[-1] if years else 0)
                if not year:
                    raise stores.StoreError(tr("{} has no evaluation year yet.").format(store.describe()))
                if path is None:
                    path, _ = QFileDialog.getSaveFileName(self, tr("Export register (台账)"),
                                                          "低效用地台账_{}.xlsx".format(year),
                                                          tr("Excel workbooks (*.xlsx)"))
                    if not path:
                        return None
                    if not path.lower().endswith(".xlsx"):
                        path += ".xlsx"
                counts = register.write_workbook(path, store, year)
            finally:
                store.close()
        except (stores.StoreError, files.OutputError) as exc:
            self._say(str(exc), ok=False)
            return None
        self._say(tr("Register of {} written to {}: {} parcels on the low-efficiency list, {} register rows.").format(
            year, path, counts["list"], counts["register"]))
        return path
