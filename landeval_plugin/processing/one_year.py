"""YEAR of the algorithms that count or map parcels (exportmap, lists, statistics), and the year
whose rows dossiers, grade, disposal and clusters work on (``year_rows``).

A layer of the LandEval store holding several years has one row per parcel and year (its
``year`` column): counted whole, every parcel would count once per year. These algorithms
count one year of such a layer: YEAR when given, else the newest, and say which in the log.
YEAR is optional (empty: the newest), so models and batch runs made before it still run; a
FILTER that already keeps one year leaves nothing to choose.
"""
from qgis.core import QgsProcessingException, QgsProcessingParameterNumber

from ..core.meeting import statistics as st
from ..i18n import tr

YEAR = "YEAR"


def add_parameter(alg):
    alg.addParameter(QgsProcessingParameterNumber(
        YEAR, tr("Year of a store layer of several years (empty: the newest)"),
        QgsProcessingParameterNumber.Integer, optional=True, minValue=0, maxValue=9999))


def requested(alg, parameters, context):
    """The YEAR asked for, None when empty (or 0)."""
    raw = parameters.get(YEAR)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return alg.parameterAsInt(parameters, YEAR, context) or None


def _name(source):
    return source.sourceName() if hasattr(source, "sourceName") else source.name()


def choose(alg, source, expression, parameters, context, feedback, expression_context=None):
    """The year to count on ``source`` (None: a layer of one year), logged with the reason.
    Raises QgsProcessingException for a YEAR the layer does not hold."""
    year = requested(alg, parameters, context)
    chosen, years = _year_choice(source, expression, year, expression_context)
    if chosen is None:
        if year is not None and "year" in source.fields().names():
            return year  # a layer of one year: its rows of YEAR (none when it holds another year)
        if year is not None:
            feedback.pushWarning(tr("Layer {} has no field year: YEAR {} is not applied.").format(
                _name(source), year))
        return None
    _say(source, years, chosen, year, feedback)
    return chosen


def _year_choice(source, expression, year, expression_context=None):
    """statistics.year_choice, its refusal (a YEAR the layer does not hold) as the algorithm's error."""
    try:
        return st.year_choice(source, expression, year, expression_context)
    except st.StatisticsError as exc:
        raise QgsProcessingException(str(exc)) from None


def _say(source, years, chosen, year, feedback, used=False):
    why = tr("given as YEAR") if year is not None else tr("the newest; YEAR chooses another")
    if used:  # year_rows: the step works on that year's rows
        text = tr("Layer {} holds the years {} (a store layer: one row per parcel and year): only the rows of year {} "
                  "are used ({}).")
    else:
        text = tr("Layer {} holds the years {} (a store layer: one row per parcel and year): only year {} "
                  "is counted ({}).")
    feedback.pushInfo(text.format(_name(source), "、".join(str(y) for y in years), chosen, why))


def rows_help():
    """The sentence the help of dossiers, grade, disposal and clusters adds about ``year_rows``."""
    return tr("A LandEval store layer of several years (one row per parcel and year): only the rows of YEAR are "
              "used (empty or 0: the newest year), as on a layer of that year alone; the log names the years "
              "found and the year used.")


def year_rows(alg, source, parameters, context, feedback):
    """(source, year) for the steps that work on one year's parcels (dossiers, grade, disposal,
    clusters), whose YEAR (their evaluation year) already exists: on a store layer of several
    years, a memory copy of the rows of YEAR (else the newest), logged as ``choose`` logs it, and
    that year; any other layer is returned as it is, with None. Raises QgsProcessingException
    for a YEAR the layer does not hold."""
    from qgis.core import QgsFeatureRequest

    year = requested(alg, parameters, context)
    chosen, years = _year_choice(source, None, year)
    if chosen is None:
        return source, None
    _say(source, years, chosen, year, feedback, used=True)
    return source.materialize(QgsFeatureRequest().setFilterExpression(restrict(None, chosen))), chosen


def restrict(expression, year):
    """``expression`` (None or '' for all) and only ``year``'s rows (None: as it is)."""
    if year is None:
        return expression
    from ..core.meeting import year_filter as yf  # (not at every qgis_process start: test_startup_imports)

    return yf.combined(expression and str(expression), year)
