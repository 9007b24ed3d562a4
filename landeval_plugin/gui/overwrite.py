"""Ask the planner before a run replaces existing files (the pages then pass OVERWRITE=True)."""
import glob
import os

from qgis.PyQt.QtWidgets import QMessageBox

from ..i18n import tr


def existing_files(paths=(), pdf_folder=None):
    """Lines naming the files a run would replace: ``paths`` that exist, and the PDFs already
    in ``pdf_folder`` (a per-parcel print replaces those with the same parcel code)."""
    lines = [p for p in paths if p and os.path.exists(p)]
    if pdf_folder and os.path.isdir(pdf_folder):
        pdfs = glob.glob(os.path.join(glob.escape(pdf_folder), "*.pdf"))
        if pdfs:
            lines.append(
                tr("{} PDF files in {} (sheets of the same parcels are replaced)").format(len(pdfs), pdf_folder))
    return lines


def confirm_overwrite(parent, title, paths=(), pdf_folder=None):
    """None when nothing would be replaced; otherwise True when the planner chose to replace
    the files, False when not (the run does not start)."""
    lines = existing_files(paths, pdf_folder)
    if not lines:
        return None
    box = QMessageBox(QMessageBox.Icon.Question, title,
                      tr("These files already exist:\n{}\n\nReplace them?").format("\n".join(lines[:12])),
                      QMessageBox.StandardButton.NoButton, parent)
    replace = box.addButton(tr("Replace"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is replace
