"""One year of a store layer of several years on the map and in the layers panel.

A layer of the LandEval store holding several years (one row per parcel and year, its ``year``
column) draws every year's polygon on top of each other, and the layers panel counts every row
(A 42 宗 for 14 parcels over three years). The 研判 page shows the meeting's year alone the way
``store.load_layers`` loads one year: a filter (subset string) ``"year" = N`` on the layer.

- ``show_year`` sets it, combined with the planner's own filter when there is one
  (``(<their filter>) AND "year" = N``); what the planner had is kept in a custom property of
  the layer (saved with the project), so ``restore`` gives it back even after QGIS was closed.
- A filter is only a view: no row of the data is written. QGIS refuses to change a filter while
  the layer is being edited (the meeting's decisions not yet saved): ``show_year`` and
  ``restore`` then return False with the reason, and the page tries again when editing stops.
- The meeting keeps reading every year where it needs them (the years of the layer, last year's
  class): ``all_years`` is a read-only layer of the same source with the planner's filter only,
  and ``rows_of`` says which to read for one year (the layer itself for the year it shows, with
  its unsaved edits; the other layer for another year).
No widgets here: gui/pages/review.py runs it and tells the planner.
"""
import json

from ...i18n import tr
from .. import gpkg_read

PROPERTY = "landeval/year_filter"
# providers whose filter is a WHERE clause LandEval can combine with (the store's backends)
PROVIDERS = ("ogr", "postgres", "spatialite")


class YearFilterError(ValueError):
    pass


def year_clause(year):
    from qgis.core import QgsExpression

    return "{} = {}".format(QgsExpression.quotedColumnRef("year"), int(year))


def combined(user_filter, year):
    """The filter that shows ``year`` alone within the planner's ``user_filter`` ('' for none)."""
    user_filter = (user_filter or "").strip()
    if not user_filter:
        return year_clause(year)
    return "({}) AND {}".format(user_filter, year_clause(year))


def _state(layer):
    """LandEval's note on ``layer``: {"year", "user", "set"} while the layer's filter is still the
    one LandEval set; None otherwise (never set, restored, or changed by hand since)."""
    if layer is None:
        return None
    raw = layer.customProperty(PROPERTY)
    if not raw:
        return None
    try:
        state = json.loads(str(raw))
        year = int(state["year"])
        user, applied = str(state.get("user") or ""), str(state["set"])
    except (ValueError, KeyError, TypeError):
        return None
    if layer.subsetString() != applied:
        return None
    return {"year": year, "user": user, "set": applied}


def shown_year(layer):
    """The year LandEval's filter shows on ``layer`` (None: no LandEval filter on it)."""
    state = _state(layer)
    return state["year"] if state else None


def user_filter(layer):
    """The planner's own filter of ``layer``: what it had before LandEval showed one year."""
    state = _state(layer)
    return state["user"] if state else layer.subsetString()


def can_filter(layer):
    """'' when LandEval can show one year of ``layer``, else the reason (for the planner)."""
    name = layer.name() if layer is not None else ""
    if layer is None or not layer.isValid():
        return tr("Layer “{}” cannot be read.").format(name)
    if layer.providerType() not in PROVIDERS:
        return tr("Layer “{}” is not a layer of a file or database (provider {}): LandEval does not filter "
                  "it.").format(name, layer.providerType())
    mine = user_filter(layer).strip()
    if mine.lower().startswith("select"):
        return tr("Layer “{}” has an SQL query as its filter ({}): LandEval leaves it as it is.").format(
            name, mine)
    return _unsaved_edits(layer)


def _unsaved_edits(layer):
    """'' when ``layer`` has no unsaved edits, else why QGIS will not change its filter now."""
    if layer.isEditable() and layer.isModified():
        return tr("Layer “{}” has unsaved edits: QGIS changes a layer's filter only when its edits are saved "
                  "or discarded (Layer › Toggle Editing).").format(layer.name())
    return ""


def _set(layer, text):
    # a layer in edit mode without edits: leave edit mode (nothing is lost), filter, come back
    editing = layer.isEditable()
    if editing and layer.isModified():
        return False
    if editing and not layer.rollBack():
        return False
    done = layer.setSubsetString(text)
    if editing:
        layer.startEditing()
    return done


def _recount(layer):
    """The grade style's labels count the rows the layer shows now (A 14 宗 …, not every year's)."""
    from ..grading import grade

    if grade.has_counted_labels(layer):
        renderer = layer.renderer().clone()
        grade.label_counts(renderer, grade.layer_counts(layer))
        layer.setRenderer(renderer)  # (rendererChanged: the layers panel redraws the legend)
        layer.triggerRepaint()


def show_year(layer, year):
    """Show only ``year``'s rows of ``layer`` (its own filter kept). Returns '' when done, else
    the reason nothing was changed. No data is written: only the layer's filter."""
    reason = can_filter(layer)
    if reason:
        return reason
    mine = user_filter(layer)
    text = combined(mine, year)
    if layer.subsetString() != text:
        if not _set(layer, text):
            return tr("QGIS refused the filter {} on layer “{}”.").format(text, layer.name())
        _recount(layer)
    layer.setCustomProperty(PROPERTY, json.dumps({"year": int(year), "user": mine, "set": text},
                                                 ensure_ascii=False))
    return ""


def restore(layer):
    """Give ``layer`` back the filter it had before ``show_year`` (its own, or none). Returns ''
    when done or when there was nothing to restore, else the reason."""
    if layer is None:
        return ""
    state = _state(layer)
    if state is None:  # never set, or the planner changed the filter since: it is theirs
        layer.removeCustomProperty(PROPERTY)
        return ""
    unsaved = _unsaved_edits(layer)
    if unsaved:
        return unsaved
    if not _set(layer, state["user"]):
        return tr("QGIS refused to restore the filter of layer “{}”.").format(layer.name())
    layer.removeCustomProperty(PROPERTY)
    _recount(layer)
    return ""


def all_years(layer):
    """A read-only layer of ``layer``'s source with the planner's filter only (every year), or
    ``layer`` itself when LandEval's filter is not on it. Unsaved edits are not in it."""
    from qgis.core import QgsVectorLayer

    state = _state(layer)
    if state is None:
        return layer
    options = QgsVectorLayer.LayerOptions(False, True)  # (loadDefaultStyle, readExtentFromXml)
    view = gpkg_read.fresh_copy(layer, options=options)  # not a handle QGIS opened before an edit
    if not view.isValid() or not view.setSubsetString(state["user"]):
        raise YearFilterError(tr("Layer “{}” cannot be read without its year filter.").format(layer.name()))
    if view.featureCount() < 1:  # -1: the count failed; 0: nothing read, or nothing there
        reason = gpkg_read.empty_read_reason(view, view.featureCount())
        if reason:
            raise YearFilterError(reason)
    view.setReadOnly(True)
    return view


def rows_of(layer, year):
    """The layer to read ``year``'s rows from: ``layer`` itself when it shows that year (or has no
    LandEval filter); the every-year layer for another year (None: every year)."""
    shown = shown_year(layer)
    if shown is None or (year is not None and int(year) == shown):
        return layer
    return all_years(layer)


def features(layer, year, request=None):
    """``layer.getFeatures(request)`` for ``year``'s rows (rows_of): read without LandEval's filter
    when the layer shows another year, each feature then given ``layer``'s fields (a field the
    meeting added and has not saved yet is empty)."""
    from qgis.core import QgsFeature, QgsFeatureRequest

    source = rows_of(layer, year)
    request = request if request is not None else QgsFeatureRequest()
    if source is layer or source.fields().names() == layer.fields().names():
        yield from source.getFeatures(request)
        return
    fields = layer.fields()
    for f in source.getFeatures(request):
        have = f.fields().names()
        out = QgsFeature(fields, f.id())
        if f.hasGeometry():
            out.setGeometry(f.geometry())
        out.setAttributes([f[n] if n in have else None for n in fields.names()])
        yield out
