"""Signals between the dock's pages (a grade 研判 on the 分类评价 page reaches the 处置 page)."""
from qgis.PyQt.QtCore import QObject, pyqtSignal


class _Hub(QObject):
    # (graded layer, {parcel_code: {grade review field: value}}) after a grade 研判 was saved
    gradeReviewed = pyqtSignal(object, object)


hub = _Hub()
