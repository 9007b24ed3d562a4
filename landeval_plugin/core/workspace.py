"""Where the panel's results go: one LandEval GeoPackage beside the project, one new layer per
result and run, so nothing made in the panel lives only in memory.

GUI-free (no QgsProject, no widgets): the pages pass the project's file path and the folder
remembered for unsaved projects. Layer names carry the run's time (``grade_20261130_081502``)
and are unique in the GeoPackage and in this QGIS session, so a run never replaces an earlier
one; the pages write through an ``ogr:dbname='…' table="…"`` destination, which adds a table to
the GeoPackage and keeps every other layer in it.
"""
import datetime
import os
import re
import sqlite3
import threading

from ..i18n import tr

SUFFIX = "_landeval.gpkg"
UNSAVED_STEM = "untitled"           # <folder>/untitled_landeval.gpkg while the project has no file
HOME_FOLDER = "LandEval"            # ~/LandEval when no folder is remembered
SETTINGS_KEY = "landeval/output_dir"  # QgsSettings: the folder for unsaved projects
STAMP = "%Y%m%d_%H%M%S"

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_reserved = set()                   # names handed out in this session (lower case), file or not yet
_lock = threading.Lock()


class WorkspaceError(Exception):
    """A message for the planner that names the GeoPackage."""


def default_folder(remembered=None, home=None):
    """The folder for results of a project that is not saved yet: the remembered one, else ~/LandEval."""
    if remembered:
        return os.path.abspath(os.path.expanduser(str(remembered)))
    return os.path.join(home or os.path.expanduser("~"), HOME_FOLDER)


def gpkg_for_project(project_path, remembered_folder=None, home=None):
    """The LandEval GeoPackage for a project: ``<project dir>/<project basename>_landeval.gpkg``;
    for an unsaved project (empty path) ``<remembered folder or ~/LandEval>/untitled_landeval.gpkg``."""
    if project_path:
        path = os.path.abspath(str(project_path))
        stem = os.path.splitext(os.path.basename(path))[0] or UNSAVED_STEM
        return os.path.join(os.path.dirname(path), stem + SUFFIX)
    return os.path.join(default_folder(remembered_folder, home), UNSAVED_STEM + SUFFIX)


def existing_tables(gpkg):
    """Table names in a GeoPackage (empty when the file does not exist yet)."""
    if not gpkg or not os.path.exists(gpkg):
        return []
    try:
        con = sqlite3.connect("file:{}?mode=ro".format(_uri_path(gpkg)), uri=True)
        try:
            rows = con.execute("SELECT table_name FROM gpkg_contents").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise WorkspaceError("{}: {}".format(gpkg, exc)) from exc
    return [r[0] for r in rows]


def _uri_path(path):
    """A file path as the path part of an SQLite URI (``?`` and ``#`` would end it)."""
    return os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def stamp(now=None):
    return (now or datetime.datetime.now()).strftime(STAMP)


def new_layer_names(gpkg, kinds, now=None):
    """Fresh table names for one run, one per kind, sharing the run's stamp:
    ``new_layer_names(p, ["clusters", "clustered_parcels"])`` → ``["clusters_20261130_081502",
    "clustered_parcels_20261130_081502"]``. A name already in the GeoPackage or handed out in
    this session (case-insensitively, as SQLite compares table names) gets ``_2``, ``_3`` … on
    every kind of the run."""
    kinds = list(kinds)
    for kind in kinds:
        if not _KIND.match(kind or ""):
            raise ValueError("layer kind {!r}: lower-case letters, digits and _ only".format(kind))
    base = stamp(now)
    taken = {t.lower() for t in existing_tables(gpkg)}
    with _lock:
        n = 1
        while True:
            suffix = "" if n == 1 else "_{}".format(n)
            names = ["{}_{}{}".format(kind, base, suffix) for kind in kinds]
            if not any(name.lower() in taken or _key(gpkg, name) in _reserved for name in names):
                _reserved.update(_key(gpkg, name) for name in names)
                return names
            n += 1


def new_layer_name(gpkg, kind, now=None):
    return new_layer_names(gpkg, [kind], now)[0]


def _key(gpkg, name):
    return (os.path.normcase(os.path.abspath(gpkg)), name.lower())


def _quote(value):
    """A value inside '…' of a QGIS data source URI (QgsDataSourceUri's escaping)."""
    return str(value).replace("\\", "\\\\").replace("'", "\\'")


def destination(gpkg, table):
    """The Processing destination that adds ``table`` to ``gpkg`` and keeps its other layers."""
    if not re.match(r"^[A-Za-z0-9_]+$", table or ""):
        raise ValueError("table name {!r}".format(table))
    return "ogr:dbname='{}' table=\"{}\"".format(_quote(os.path.abspath(gpkg)), table)


def layer_uri(gpkg, table):
    """The OGR source of one layer of the GeoPackage (what the project stores)."""
    return "{}|layername={}".format(os.path.abspath(gpkg), table)


def prepare(gpkg):
    """Make the GeoPackage's folder; a message naming it when that is impossible or the path is no
    GeoPackage. The file itself is created by the first layer written into it."""
    if not gpkg:
        raise WorkspaceError(tr("Choose the output GeoPackage."))
    if not gpkg.lower().endswith(".gpkg"):
        raise WorkspaceError(tr("{}: the output must be a GeoPackage (.gpkg).").format(gpkg))
    folder = os.path.dirname(os.path.abspath(gpkg))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError("{}: {}".format(folder, exc.strerror or exc)) from exc
    if not os.access(folder, os.W_OK):
        raise WorkspaceError(tr("{}: the folder is not writable.").format(folder))
    if os.path.exists(gpkg):
        existing_tables(gpkg)  # raises when the file is not a GeoPackage
    return gpkg


def display_time(now=None):
    """The run's time as shown in layer names: 2026-11-30 08:15:02."""
    return (now or datetime.datetime.now()).strftime("%Y-%m-%d %H:%M:%S")


def copy_layer(source_uri, gpkg, table, transform_context=None):
    """Copy a vector layer (e.g. a staging file) into ``table`` of ``gpkg``, keeping the other
    layers; returns the new layer's URI. Raises WorkspaceError naming the files on failure."""
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter, QgsVectorLayer

    source = QgsVectorLayer(source_uri, table, "ogr")
    if not source.isValid():
        raise WorkspaceError(tr("{}: the layer cannot be read.").format(source_uri))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = table
    options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteLayer if os.path.exists(gpkg)
                                    else QgsVectorFileWriter.CreateOrOverwriteFile)
    result = QgsVectorFileWriter.writeAsVectorFormatV2(source, gpkg, transform_context or
                                                       QgsCoordinateTransformContext(), options)
    if result[0] != QgsVectorFileWriter.NoError:
        raise WorkspaceError("{} → {}: {}".format(source_uri, gpkg, result[1]))
    return layer_uri(gpkg, table)
