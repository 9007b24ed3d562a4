"""研判 (manual review): a person sets the final class of parcels, with a required reason.

The computed ``grade`` is never touched: the review lives in ``grade_final``,
``override_reason``, ``override_by`` and ``override_at``, the grade map shows
coalesce(grade_final, grade), and re-grading carries these four fields forward.
Two ways in: ``apply_in_place`` on an editable layer (one undoable edit command, the GUI's
review dialog) and ``review_values`` for the Processing algorithm that writes a new layer.
"""
import datetime
import getpass

from ..i18n import tr
from . import schema
from .grading.grade import REVIEW_FIELDS
from .grading.standard import GRADES


class ReviewError(ValueError):
    pass


def reviewer():
    """Default reviewer name: QGIS's user full name if set, else the login."""
    try:
        from qgis.core import QgsApplication

        name = QgsApplication.userFullName()
        if name:
            return name
    except Exception:  # outside QGIS
        pass
    try:
        return getpass.getuser()
    except Exception:
        return ""


def check(grade, reason):
    """Raise ReviewError unless grade is A/B/C/D/T and reason is not blank."""
    g = (grade or "").strip().upper()
    if g not in GRADES:
        raise ReviewError(tr("Review class must be one of A, B, C, D, T (got '{}').").format(grade or ""))
    if not (reason or "").strip():
        raise ReviewError(tr("A review needs a reason (研判理由)."))
    return g, reason.strip()


def review_values(grade, reason, by=None, at=None):
    """{field: value} of one review, checked."""
    g, r = check(grade, reason)
    at = at or datetime.datetime.now().replace(microsecond=0)
    return {"grade_final": g, "override_reason": r, "override_by": (by or reviewer()).strip(),
            "override_at": at.isoformat(sep=" ") if hasattr(at, "isoformat") else str(at)}


def add_text_fields(layer, names, error):
    """Add the text fields ``names`` that ``layer`` lacks (inside its edit session), then give them
    their Chinese aliases. The alias is set on the layer after the field exists: a QgsField added with
    an alias already set made a GeoPackage layer refuse the commit ("field ... is not the same")."""
    from qgis.core import QgsField
    from qgis.PyQt.QtCore import QVariant

    added = []
    for name in names:
        if layer.fields().lookupField(name) < 0:
            if not layer.addAttribute(QgsField(name, QVariant.Type.String)):
                raise error(tr("Cannot add field {} to layer {}.").format(name, layer.name()))
            added.append(name)
    layer.updateFields()
    for name in added:
        idx = layer.fields().lookupField(name)
        if idx >= 0:
            layer.setFieldAlias(idx, schema.alias(name))
    return added


def ensure_fields(layer):
    """Add missing review fields to an editable layer (inside the current edit session)."""
    add_text_fields(layer, REVIEW_FIELDS, ReviewError)


def edit_in_place(layer, changes, label, ensure=None, error=None):
    """Write ``changes`` ({fid: {field: value}}) on ``layer`` as one undoable edit command;
    ``ensure(layer)`` adds missing fields first, fields the layer lacks are left out. Starts
    editing when needed and leaves the layer in edit mode, so the user saves or undoes (Ctrl+Z)
    as with any edit. Shared by the grade review, the disposal path decision and the disposal
    step's re-proposal. Returns the fids whose attributes were changed."""
    error = error or ReviewError
    if not layer.isEditable() and not layer.startEditing():
        raise error(tr("Layer {} cannot be edited (read-only source?).").format(layer.name()))
    layer.beginEditCommand(label)
    try:
        if ensure is not None:
            ensure(layer)
        fields = layer.fields()
        done = []
        for fid, values in changes.items():
            idx = {fields.lookupField(n): v for n, v in values.items()}
            idx.pop(-1, None)
            if layer.changeAttributeValues(fid, idx):
                done.append(fid)
    except Exception:
        layer.destroyEditCommand()
        raise
    layer.endEditCommand()
    layer.triggerRepaint()
    return done


def apply_in_place(layer, fids, grade, reason, by=None, at=None):
    """Set the review on features ``fids`` of ``layer`` as one undoable edit command."""
    values = review_values(grade, reason, by, at)
    fids = list(fids)
    if not fids:
        raise ReviewError(tr("No parcels chosen for the review."))
    values = {n: values[n] for n in REVIEW_FIELDS}
    return len(edit_in_place(layer, {fid: values for fid in fids},
                             tr("Review {} parcel(s) as {}").format(len(fids), values["grade_final"]), ensure_fields))


def clear_in_place(layer, fids):
    """Remove the review of ``fids`` (back to the computed grade), undoable."""
    names = layer.fields().names()
    if "grade_final" not in names:
        return 0
    if not layer.isEditable() and not layer.startEditing():
        raise ReviewError(tr("Layer {} cannot be edited (read-only source?).").format(layer.name()))
    layer.beginEditCommand(tr("Clear review of {} parcel(s)").format(len(fids)))
    idx = [layer.fields().indexOf(n) for n in REVIEW_FIELDS if n in names]
    n = sum(1 for fid in fids if layer.changeAttributeValues(fid, {i: None for i in idx}))
    layer.endEditCommand()
    layer.triggerRepaint()
    return n
