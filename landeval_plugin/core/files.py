"""Files LandEval writes: where a source really lives, outputs that would write an input,
existing files, atomic writes, GeoPackage layers written without touching the file's others.

The promise (docs/reliability/outputs.md): an input is never written, an existing file is
replaced only by choice (OVERWRITE), a layer written into an existing GeoPackage replaces that
layer only, and a write that fails (disk full, no permission) raises OutputError naming the
file and the reason, with nothing partial published: every write goes to a hidden temporary
file beside the target, is flushed to disk, checked, and moved into place with os.replace.

No widgets and no Processing here; algorithms turn OutputError into QgsProcessingException.
"""
import errno
import os
import re
import shutil
import tempfile
import uuid

from ..i18n import tr

TEMP_PREFIX = ".landeval-"
STAGE_PREFIX = "~landeval-"  # staged layers (no leading dot: see temp_path)
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj", ".qml", ".qix", ".sbn", ".sbx")
_DBNAME = re.compile(r"""dbname\s*=\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+))""")
_TABLE = re.compile(r"""table\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s(]+))""")


class OutputError(Exception):
    """A refused or failed output; the message is translated and names the file."""


def load_yaml(path):
    """The data of the YAML file at ``path`` (safe loader, UTF-8). PyYAML's libyaml loader when it
    has one: the same data, ten times faster than the pure-Python parser (every run of an
    algorithm reads a dozen rule, schema and vocabulary files)."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# ------------------------------------------------------------------------------ where things are
def _layer_of(value):
    """``value`` when it is a QgsMapLayer, else None (also outside QGIS)."""
    try:
        from qgis.core import QgsMapLayer
    except ImportError:  # pragma: no cover
        return None
    if isinstance(value, QgsMapLayer):
        return value
    return None


def source_path(value):
    """The file named by a layer, a layer source/URI, a Processing destination or a path
    (not resolved; None for memory, PostGIS and other non-file sources)."""
    if value is None:
        return None
    layer = _layer_of(value)
    if layer is not None:
        provider = layer.providerType() if hasattr(layer, "providerType") else ""
        if provider == "spatialite":
            match = _DBNAME.search(layer.source())
            return _unquote(match) if match else None
        if provider in ("ogr", "delimitedtext", "gdal"):
            return _path_from_uri(layer.source(), provider)
        return None  # memory, PostGIS, WFS ...: not a file
    text = str(value).strip()
    if not text or text in ("TEMPORARY_OUTPUT",) or text.startswith(("memory:", "postgres:", "postgis:", "mssql:",
                                                                     "oracle:", "memory?")):
        return None
    if text.startswith(("ogr:", "spatialite:")):
        match = _DBNAME.search(text)
        return _unquote(match) if match else None
    if text.startswith("file://"):
        text = text[len("file://"):].split("?", 1)[0]
    return _path_from_uri(text, "ogr")


def _unquote(match):
    raw = next((g for g in match.groups()[:3] if g is not None), match.group(3))
    return raw.replace("\\'", "'").replace('\\"', '"')


def _path_from_uri(text, provider):
    if provider == "delimitedtext":
        text = text.split("?", 1)[0]
        if text.startswith("file://"):
            text = text[len("file://"):]
        return text or None
    try:
        from qgis.core import QgsProviderRegistry

        parts = QgsProviderRegistry.instance().decodeUri("ogr", text)
        path = parts.get("path")
        if path:
            return path
    except Exception:  # outside QGIS: plain split below
        pass
    path = text.split("|", 1)[0]
    return path or None


def real_path(value):
    """Absolute path after following symbolic links of the file behind ``value`` (a layer,
    source, URI, destination or path); None for non-file sources (PostGIS, memory ...)."""
    path = source_path(value)
    if not path:
        return None
    return os.path.realpath(os.path.expanduser(path))


def layer_name_of(value):
    """The layer named in a destination (``table="x"`` or ``|layername=x``), else None."""
    text = str(value or "")
    if text.startswith(("ogr:", "spatialite:")):
        match = _TABLE.search(text)
        return _unquote(match) if match else None
    match = re.search(r"\|layername=([^|]+)", text)
    return match.group(1) if match else None


def _identity(path):
    try:
        st = os.stat(path)
        return (st.st_dev, st.st_ino)
    except OSError:
        return None


def same_file(a, b):
    """True when two paths name the same file (symbolic and hard links included)."""
    if not a or not b:
        return False
    ra, rb = os.path.realpath(a), os.path.realpath(b)
    if ra == rb:
        return True
    ia, ib = _identity(ra), _identity(rb)
    return ia is not None and ia == ib


def _input_files(path):
    """An input and the files that belong to it (a Shapefile's .dbf, .shx ...)."""
    base, ext = os.path.splitext(path)
    if ext.lower() == ".shp":
        return [base + e for e in SHAPEFILE_PARTS if os.path.exists(base + e)] or [path]
    return [path]


def _input_layer_name(value):
    """The layer of a GeoPackage (or other multi-layer file) an input reads; None when unknown."""
    text = value.source() if _layer_of(value) is not None else str(value)
    named = layer_name_of(text)
    if named:
        return named
    try:
        from qgis.core import QgsProviderRegistry

        return QgsProviderRegistry.instance().decodeUri("ogr", text).get("layerName") or None
    except Exception:  # outside QGIS
        return None


def refuse_outputs_on_inputs(inputs, outputs):
    """Raise OutputError when an output resolves to an input file.

    ``inputs`` and ``outputs``: iterables of values (layers, URIs, paths) or (label, value)
    pairs; values resolving to no file (memory, PostGIS, temporary outputs) are ignored.
    The message names both paths as the user gave them and the file they share.

    One exception, for the panel's LandEval GeoPackage: an output that names its own new
    layer (``ogr:dbname='x.gpkg' table="new"`` or ``x.gpkg|layername=new``) may go into a
    GeoPackage that holds an input layer, when that input layer is named and is not the
    output's layer. It is added in place beside the input (LayerPublication), which is not
    touched. A plain path, a workbook or any other file on an input is always refused.
    """
    def resolved(items, inputs_side):
        out = []
        for item in items:
            value = item[1] if isinstance(item, tuple) else item
            for v in (value if isinstance(value, (list, tuple)) else [value]):
                path = source_path(v)
                if path:
                    shown = v.source() if _layer_of(v) is not None else str(v)
                    layer = _input_layer_name(v) if inputs_side else layer_name_of(str(v))
                    out.append((shown, os.path.realpath(os.path.expanduser(path)), layer))
        return out

    ins = resolved(inputs, True)
    for out_given, out_real, out_layer in resolved(outputs, False):
        for in_given, in_real, in_layer in ins:
            for part in _input_files(in_real):
                shared = same_file(out_real, part) or (os.path.splitext(out_real)[1].lower() == ".shp"
                                                       and os.path.splitext(out_real)[0] == os.path.splitext(part)[0])
                if not shared:
                    continue
                if out_layer and in_layer and out_layer.lower() != in_layer.lower() \
                        and os.path.splitext(out_real)[1].lower() == ".gpkg":
                    continue  # a new layer beside the input layer, added in place
                raise OutputError(tr(
                    "The output {} would overwrite the input {} (the same file {}): LandEval never writes its "
                    "inputs. Choose another output file.").format(out_given, in_given, out_real))


def refuse_existing(paths, overwrite):
    """Raise OutputError when one of ``paths`` exists and ``overwrite`` is false."""
    if overwrite:
        return
    for path in paths:
        if path and os.path.lexists(path):
            raise OutputError(tr(
                "{} already exists and would be replaced. Choose another file, or confirm with OVERWRITE=true "
                "(覆盖已存在的文件).").format(path))


# ---------------------------------------------------------------------------------- failures
def reason(exc=None, path=None):
    """Why a write failed, in the user's words: disk full, no permission, or the system's text."""
    code = getattr(exc, "errno", None)
    text = str(exc or "")
    low = text.lower()
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or "no space left" in low or "disk is full" in low \
            or "disk full" in low:
        return tr("the disk is full")
    if code == errno.EFBIG or "file too large" in low or "too large" in low:
        return tr("the file is larger than this disk or account allows")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or "permission denied" in low or "read-only" in low \
            or "readonly" in low:
        return tr("permission denied (the folder or file is read-only)")
    if path is not None and _nearly_full(path):
        return tr("the disk is full")
    if _size_limited() and ("i/o error" in low or not text or code == 0):
        return tr("the file is larger than this disk or account allows")
    if code == errno.ENOENT:
        return tr("the folder does not exist")
    return getattr(exc, "strerror", None) or text or tr("unknown error")


def _size_limited():
    """True when this process may not grow files without bound (ulimit -f, RLIMIT_FSIZE)."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    except (ImportError, OSError, ValueError):
        return False
    return soft != resource.RLIM_INFINITY


def _nearly_full(path):
    folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    while folder and not os.path.isdir(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 256 * 1024


def write_failed(path, exc=None):
    """OutputError naming ``path`` and why writing it failed."""
    return OutputError(tr("Cannot write {}: {}. Nothing was replaced; earlier files are kept.").format(
        path, reason(exc, path)))


def short_write(path, found, expected):
    """OutputError for a file that holds fewer features than were written to it (GDAL may
    report a full disk only when the file is closed). Call it before the file is removed."""
    counts = tr("{} of {} features were written").format(found, expected)
    why = counts
    if _nearly_full(path):
        why = "{} ({})".format(tr("the disk is full"), counts)
    elif _size_limited():
        why = "{} ({})".format(tr("the file is larger than this disk or account allows"), counts)
    return OutputError(tr("Cannot write {}: {}. Nothing was replaced; earlier files are kept.").format(path, why))


def ensure_folder(path):
    """Make the folder that will hold ``path`` (missing parents included); OutputError naming
    the folder when it cannot be made or written."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise OutputError(tr("Cannot create the output folder {}: {}").format(folder, reason(exc, folder))) from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(tr("Cannot write to the output folder {}: {}").format(
            folder, tr("permission denied (the folder or file is read-only)")))
    return folder


# ------------------------------------------------------------------------------- atomic writes
def temp_path(target, suffix=None):
    """A hidden, unused path beside ``target`` (same file system: the final move is atomic)."""
    folder = os.path.dirname(os.path.abspath(target)) or "."
    base, ext = os.path.splitext(os.path.basename(target))
    # one dot only, before the extension: QGIS takes the driver from everything after the
    # first dot of a destination's file name
    return os.path.join(folder, "{}{}-{}{}".format(STAGE_PREFIX, uuid.uuid4().hex[:10], base[:40].replace(".", "_"),
                                                   suffix if suffix is not None else ext))


def remove_quietly(*paths):
    for path in paths:
        if not path:
            continue
        for p in (path, path + "-wal", path + "-shm", path + "-journal"):
            try:
                if os.path.isdir(p) and not os.path.islink(p):
                    shutil.rmtree(p, ignore_errors=True)
                elif os.path.lexists(p):
                    os.remove(p)
            except OSError:
                pass


# file systems on which SQLite's WAL mode is unsafe (its shared-memory index does not work across
# machines): what QGIS checks before it switches a GeoPackage to WAL (QgsOgrProviderUtils::IsLocalFile),
# with the other network file systems Linux names in /proc/mounts
NETWORK_FILE_SYSTEMS = frozenset({"nfs", "nfs4", "smb", "smbfs", "smb3", "cifs", "ncpfs", "afs", "9p", "ceph",
                                  "glusterfs", "fuse.sshfs", "fuse.glusterfs", "fuse.ceph", "davfs", "fuse.davfs2"})


def _mount_type(path, mounts_text):
    """File system type of the mount that holds ``path``, from /proc/mounts text (None if unknown)."""
    best, kind = "", None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def is_local_file(path, mounts_text=None):
    """False when ``path`` lies on a network share (a Windows network drive or UNC path, an NFS/SMB/…
    mount on Linux), where SQLite must not use WAL; True otherwise (also when it cannot tell)."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.name == "nt":
        if folder.startswith("\\\\"):  # \\server\share
            return False
        try:
            from qgis.core import Qgis, QgsFileUtils

            return QgsFileUtils.driveType(folder) != Qgis.DriveType.Remote
        except Exception:  # QGIS before 3.20, or it cannot tell
            return True
    if mounts_text is None:
        try:
            with open("/proc/self/mounts", encoding="utf-8", errors="replace") as fh:
                mounts_text = fh.read()
        except OSError:  # not Linux
            return True
    return _mount_type(os.path.realpath(folder), mounts_text) not in NETWORK_FILE_SYSTEMS


def fsync_file(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish(tmp, target):
    """Move the finished ``tmp`` onto ``target`` (symbolic links followed: the file they point
    to is replaced), flushed to disk, with normal permissions (mkstemp makes 0600)."""
    final = os.path.realpath(target) if os.path.islink(target) else target
    try:
        fsync_file(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, final)
    except OSError as exc:
        remove_quietly(tmp)
        raise write_failed(target, exc) from exc
    _fsync_folder(os.path.dirname(os.path.abspath(final)))
    return target


def stage_write(path, write):
    """Call ``write(tmp)`` for a temporary file beside ``path`` and flush it; returns ``tmp``
    for publish(tmp, path) once every output of the run is ready.

    Any failure (an exception from ``write``, a full disk, no permission) removes the
    temporary file and raises OutputError naming ``path`` (OutputError and other
    exceptions, e.g. a cancel, pass through after the clean-up).
    """
    ensure_folder(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=os.path.splitext(path)[1], dir=folder)
        os.close(fd)
    except OSError as exc:
        raise write_failed(path, exc) from exc
    try:
        write(tmp)
        fsync_file(tmp)
    except OSError as exc:
        remove_quietly(tmp)
        raise write_failed(path, exc) from exc
    except BaseException:
        remove_quietly(tmp)
        raise
    return tmp


def atomic_write(path, write):
    """stage_write() then publish(): ``path`` is replaced whole or not at all."""
    return publish(stage_write(path, write), path)


# --------------------------------------------------------------------------- GeoPackage layers
def gpkg_layer_names(path):
    """Layer (table) names of a GeoPackage; [] when ``path`` is missing or not a GeoPackage."""
    import sqlite3

    if not os.path.isfile(path):
        return []
    try:
        con = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
        try:
            return [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")]
        finally:
            con.close()
    except sqlite3.Error:
        return []


def gpkg_count(path, layer):
    """Rows of ``layer`` in the GeoPackage ``path`` (read with SQLite, not from metadata)."""
    import sqlite3

    con = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
    try:
        return con.execute('SELECT count(*) FROM "{}"'.format(layer.replace('"', '""'))).fetchone()[0]
    finally:
        con.close()


STYLE_TABLE = "layer_styles"  # QGIS's styles inside a GeoPackage: not a layer of the planner's


def keeps_other_layers(target, layer):
    """True when the existing GeoPackage ``target`` holds layers other than ``layer`` (QGIS's
    style table aside): the output then goes in as that one layer and the others stay."""
    return any(name not in (layer, STYLE_TABLE) for name in gpkg_layer_names(target))


class Publication:
    """A finished, checked temporary file waiting to replace ``target``: publish() moves it into
    place, discard() drops it. ``dest`` is the URI to report and open."""

    def __init__(self, tmp, target, layer=None):
        self.tmp, self.target, self.dest, self.layer = tmp, target, target, layer

    def publish(self):
        tmp, self.tmp = self.tmp, None
        if tmp is None:
            return self.dest
        if self.layer and os.path.splitext(self.target)[1].lower() == ".gpkg" \
                and keeps_other_layers(self.target, self.layer):
            # another output of the same run made the file meanwhile: add this layer beside it
            pub = LayerPublication(tmp, self.layer, self.target).prepare()
            try:
                self.dest = pub.publish()
            finally:
                pub.discard()
            return self.dest
        if os.path.splitext(tmp)[1].lower() == ".shp":
            publish_shapefile(tmp, self.target)
        else:
            publish(tmp, self.target)
        return self.dest

    def discard(self):
        if self.tmp is not None:
            remove_staged(self.tmp)
            self.tmp = None


class LayerPublication(Publication):
    """Layer ``layer`` of the finished GeoPackage ``tmp`` going into the existing GeoPackage
    ``target``, which holds other layers (QGIS's, the planner's, other runs').

    The file is never replaced (QGIS may hold it open): prepare() copies the layer into
    ``target`` under a staging name and checks it; publish() drops an earlier layer of the
    same name and renames the staging layer, in one transaction; discard() drops the staging
    layer. The other layers are not touched; a failure leaves them and an earlier layer of
    the name as they were.
    """

    def __init__(self, tmp, layer, target):
        super().__init__(tmp, target, layer)
        self.staging = None
        self.dest = "{}|layername={}".format(target, layer)

    def prepare(self):
        from osgeo import gdal

        gdal.UseExceptions()
        staging = "landeval_staging_" + uuid.uuid4().hex[:10]
        try:
            expected = gpkg_count(self.tmp, self.layer)
            self.staging = staging
            ds = gdal.VectorTranslate(self.target, self.tmp, format="GPKG", layers=[self.layer], layerName=staging,
                                      accessMode="update")
            ds = None  # noqa: F841 - closes the file
            if check_gpkg_layer(self.target, staging) != expected:
                raise OSError(0, tr("{} of {} features were written").format(
                    gpkg_count(self.target, staging), expected))
        except Exception as exc:  # GDAL, SQLite or the OS: name the file and the reason
            error = write_failed(self.target, exc)  # (the reason looks at the free space first)
            self.discard()
            raise error from exc
        remove_quietly(self.tmp)
        self.tmp = None
        return self

    def _drop(self, ds, name):
        for i in range(ds.GetLayerCount()):
            if ds.GetLayer(i).GetName() == name:
                ds.DeleteLayer(i)
                return

    def publish(self):
        if self.staging is None:
            return self.dest
        from osgeo import gdal

        gdal.UseExceptions()
        try:
            ds = gdal.OpenEx(self.target, gdal.OF_VECTOR | gdal.OF_UPDATE)
            in_transaction = ds.StartTransaction() == 0
            self._drop(ds, self.layer)
            ds.ExecuteSQL('ALTER TABLE "{}" RENAME TO "{}"'.format(self.staging, self.layer.replace('"', '""')))
            if in_transaction:
                ds.CommitTransaction()
            ds = None
        except Exception as exc:
            raise write_failed(self.target, exc) from exc
        self.staging = None
        return self.dest

    def discard(self):
        super().discard()
        if self.staging is not None:
            try:
                from osgeo import gdal

                gdal.UseExceptions()
                ds = gdal.OpenEx(self.target, gdal.OF_VECTOR | gdal.OF_UPDATE)
                self._drop(ds, self.staging)
                ds = None
            except Exception:  # best effort; the planner's layers are untouched
                pass
            self.staging = None


def publication(tmp, target, layer=None):
    """The Publication of a finished, checked ``tmp`` for ``target``: a layer into an existing
    GeoPackage that holds other layers is added in place (LayerPublication, prepared here);
    anything else replaces ``target`` whole. ``tmp`` is removed when this fails."""
    if layer and os.path.splitext(target)[1].lower() == ".gpkg" and keeps_other_layers(target, layer):
        return LayerPublication(tmp, layer, target).prepare()
    return Publication(tmp, target, layer)


def publish_gpkg_layer(tmp, layer, target):
    """publication() then publish(); returns the URI of the result."""
    pub = publication(tmp, target, layer)
    try:
        return pub.publish()
    finally:
        pub.discard()


def shapefile_parts(path):
    base = os.path.splitext(path)[0]
    return [base + e for e in SHAPEFILE_PARTS]


def publish_shapefile(tmp, target):
    """Move the Shapefile ``tmp`` (all its side files) onto ``target``; stale side files of
    the old one are removed. ``tmp``'s files are removed on failure."""
    try:
        for part in shapefile_parts(tmp):
            if os.path.exists(part):
                fsync_file(part)
        for old in shapefile_parts(target):
            if os.path.lexists(old) and not os.path.exists(os.path.splitext(tmp)[0] + os.path.splitext(old)[1]):
                os.remove(old)
        for src, dst in zip(shapefile_parts(tmp), shapefile_parts(target)):
            if os.path.exists(src):
                os.replace(src, dst)
    except OSError as exc:
        for part in shapefile_parts(tmp):
            remove_quietly(part)
        raise write_failed(target, exc) from exc
    return target


def remove_staged(tmp):
    """Remove a staged output (a Shapefile with its side files)."""
    if tmp and os.path.splitext(tmp)[1].lower() == ".shp":
        for part in shapefile_parts(tmp):
            remove_quietly(part)
    else:
        remove_quietly(tmp)


def check_sqlite(path):
    """Raise OSError when the SQLite/GeoPackage file ``path`` is damaged (a write that failed
    when the file was closed, e.g. on a full disk)."""
    import sqlite3

    try:
        con = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
        try:
            result = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise OSError(0, "{}: {}".format(path, exc)) from exc
    if not result or result[0] != "ok":
        raise OSError(0, "{}: {}".format(path, result[0] if result else "damaged"))


def check_gpkg_layer(path, layer, expected=None):
    """The number of rows of ``layer`` in the finished GeoPackage ``path``; raises OSError when
    the file is damaged or a spatial index GDAL builds when closing the file is missing (both
    happen on a full disk without any other error)."""
    import sqlite3

    check_sqlite(path)
    con = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
    try:
        found = con.execute('SELECT count(*) FROM "{}"'.format(layer.replace('"', '""'))).fetchone()[0]
        geom = con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
        if geom is not None and found:
            has_index = con.execute("SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND "
                                    "extension_name = 'gpkg_rtree_index'", (layer,)).fetchone()[0]
            if not has_index:
                raise OSError(0, tr("the spatial index of {} was not written").format(layer))
    except sqlite3.Error as exc:
        raise OSError(0, "{}: {}".format(path, exc)) from exc
    finally:
        con.close()
    return found
