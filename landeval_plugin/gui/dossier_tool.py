"""The "体检表" map tool: click a parcel, see its dossier sheet, print it."""
import os

from qgis.core import QgsSettings, QgsVectorLayer, QgsWkbTypes
from qgis.gui import QgsMapToolIdentify
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.dossiers.errors import DossierError
from ..core.dossiers.printer import DossierPrinter
from ..core.dossiers.publication import check_writable
from ..core.dossiers.sheet_data import SheetData
from ..i18n import tr

SETTINGS = "landeval/dossiers/"


class SheetPreviewDialog(QDialog):
    """The rendered pages of one parcel's sheet, with a button that prints it to PDF."""

    def __init__(self, printer, index, parent=None):
        super().__init__(parent)
        self.printer = printer
        self.index = index
        sheet = printer.data.sheets[index]
        self.setWindowTitle(tr("Dossier sheet {}").format(sheet.code))
        layout = QVBoxLayout(self)
        scroll = QScrollArea(self)
        body = QWidget()
        pages = QVBoxLayout(body)
        self.images = printer.render_images(index, dpi=int(QgsSettings().value(SETTINGS + "preview_dpi", 90)))
        for image in self.images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            pages.addWidget(label)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            tr("Close"))  # Qt's own translations may be absent
        self.print_button = QPushButton(tr("Print PDF…"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self._ask_and_print)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 900)

    def _ask_and_print(self):
        settings = QgsSettings()
        folder = settings.value(SETTINGS + "last_folder", os.path.expanduser("~"))
        sheet = self.printer.data.sheets[self.index]
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the dossier sheet"),
                                              os.path.join(folder, sheet.display["d_file"] + ".pdf"),
                                              tr("PDF files (*.pdf)"))
        if path:
            self.print_to(path)

    def print_to(self, path):
        """Print this sheet alone to ``path``; remembers the folder."""
        try:
            check_writable(os.path.dirname(os.path.abspath(path)))
            self.printer.print_combined(path)
        except DossierError as exc:
            QMessageBox.warning(self, tr("Dossier sheet"), str(exc))
            return None
        QgsSettings().setValue(SETTINGS + "last_folder", os.path.dirname(os.path.abspath(path)))
        return path

    def release(self):
        if self.printer is not None:
            self.printer.close()
            self.printer.data.close()
            self.printer = None

    def done(self, result):
        self.release()
        super().done(result)


def is_parcel_layer(layer):
    return (isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.PolygonGeometry and
            (layer.fields().indexOf("parcel_code") >= 0 or layer.fields().indexOf("宗地代码") >= 0))


class DossierMapTool(QgsMapToolIdentify):
    """Click → identify the parcel under the cursor → preview of its 体检表."""

    def __init__(self, canvas, page):
        super().__init__(canvas)
        self.page = page
        self.dialog = None

    def parcel_layer(self):
        layer = self.page.parcel_layer() if self.page is not None else None
        if layer is None:
            current = self.canvas().currentLayer()
            layer = current if is_parcel_layer(current) else None
        return layer

    def canvasReleaseEvent(self, event):
        layer = self.parcel_layer()
        if layer is None:
            QMessageBox.information(self.canvas(), tr("Dossier sheet"),
                                    tr("Choose the parcel layer on the Dossiers page, or make a parcel layer current."))
            return
        results = self.identify(event.x(), event.y(), [layer], QgsMapToolIdentify.TopDownStopAtFirst)
        if not results:
            return
        self.show_sheet(layer, results[0].mFeature)

    def show_sheet(self, layer, feature):
        """Open the preview of ``feature``'s sheet (returns the dialog)."""
        page = self.page
        try:
            data = SheetData([feature], layer.fields(), layer.crs(),
                                     enterprises=page.enterprise_layer() if page else None,
                                     clusters=page.cluster_layer() if page else None)
            printer = DossierPrinter(data, template=page.template() if page else None, neighbours=layer)
        except DossierError as exc:
            QMessageBox.warning(self.canvas(), tr("Dossier sheet"), str(exc))
            return None
        self.dialog = SheetPreviewDialog(printer, 0, self.canvas().window())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.dialog.show()
        return self.dialog
