"""Publishing a run's outputs all or nothing, and checking that what was written is complete."""
import os
import re
import shutil
import tempfile

from .errors import DossierError, tr


class Publication:
    """The outputs of one run, staged beside their targets and moved into place together.

    ``add(staged, target)`` registers a finished file, ``temporary(path)`` a staging file or
    folder to remove at the end. ``commit()`` moves every staged file onto its target (renames
    on the same disk); when one move fails, the files moved before are put back as they were
    (an earlier run's file is restored), so the run publishes all or nothing. ``discard()``
    removes whatever is still staged (always call it, in a finally).
    """

    BACKUP_SUFFIX = ".landeval-previous"

    def __init__(self):
        self.moves = []
        self.temps = []

    def temporary(self, path):
        self.temps.append(path)

    def add(self, staged, target):
        self.moves.append((staged, target))

    def commit(self):
        umask = os.umask(0)
        os.umask(umask)
        done = []
        target = None
        try:
            for staged, target in self.moves:
                os.chmod(staged, 0o666 & ~umask)  # mkstemp makes 0600: normal permissions
                backup = None
                if os.path.lexists(target):
                    if os.path.isdir(target) and not os.path.islink(target):
                        raise IsADirectoryError(21, os.strerror(21))
                    backup = staged + self.BACKUP_SUFFIX
                    os.replace(target, backup)
                try:
                    os.replace(staged, target)
                except OSError:
                    if backup:
                        os.replace(backup, target)
                    raise
                done.append((target, backup))
        except OSError as exc:
            for moved, backup in reversed(done):  # all or nothing: put back what was there
                try:
                    if backup:
                        os.replace(backup, moved)
                    else:
                        os.remove(moved)
                except OSError:
                    pass
            raise DossierError(tr("Cannot replace {} (is it open in another program?): {}").format(
                target, exc.strerror or exc)) from exc
        for _, backup in done:
            if backup:
                try:
                    os.remove(backup)
                except OSError:
                    pass
        self.moves = []

    def discard(self):
        for staged, _ in self.moves:
            for path in (staged, staged + self.BACKUP_SUFFIX):
                if os.path.isfile(path):
                    os.remove(path)
        for path in self.temps:
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):
                try:
                    os.remove(path)
                except OSError:
                    pass
        self.moves = []
        self.temps = []


# ---------------------------------------------------------------------------- checking writes
def pdf_problem(path):
    """Why the file at ``path`` is not a complete PDF (translated), or None when it is one.

    A full disk or a file size limit leaves 0-byte or truncated files behind while the
    exporter still reports success: the file must hold bytes, start with %PDF-, end with the
    %%EOF trailer, and its last startxref must point at a cross-reference table in the file.
    """
    try:
        size = os.path.getsize(path)
        if size == 0:
            return tr("the file is empty (0 bytes)")
        with open(path, "rb") as fh:
            head = fh.read(5)
            fh.seek(max(0, size - 1024))
            tail = fh.read()
            if head != b"%PDF-":
                return tr("the file is not a PDF")
            if b"%%EOF" not in tail:
                return tr("the file is incomplete ({} bytes, no %%EOF trailer)").format(size)
            found = re.findall(rb"startxref\s+(\d+)", tail)
            if not found or int(found[-1]) >= size:
                return tr("the file is damaged (no cross-reference table)")
            fh.seek(int(found[-1]))
            if fh.read(4) != b"xref":
                return tr("the file is damaged (no cross-reference table)")
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def write_failure_reason(path, reason):
    """``reason`` (text or OSError) for a failed write of ``path``, saying so when the disk is full."""
    import errno

    if isinstance(reason, OSError):
        if reason.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return tr("the disk is full")
        if reason.errno == errno.EFBIG:
            return tr("the file is larger than this system allows")
        reason = reason.strerror or str(reason)
    try:
        st = os.statvfs(os.path.dirname(os.path.abspath(path)))
        free = st.f_bavail * st.f_frsize
    except (OSError, AttributeError):  # no statvfs on Windows
        free = None
    if free is not None and free < 1024 * 1024:
        return tr("{}; the disk is full ({} KB free)").format(reason, free // 1024)
    return reason


def check_pdf_export(result, tmp, target, what):
    """Raise DossierError naming ``target`` when the exporter failed or ``tmp`` is no complete PDF."""
    from qgis.core import QgsLayoutExporter

    if result != QgsLayoutExporter.Success:
        names = {getattr(QgsLayoutExporter, n, None): n for n in (
            "FileError", "PrintError", "MemoryError", "SvgLayerError", "IteratorError", "Canceled")}
        reason = tr("the layout exporter reported {}").format(names.get(result, result))
    else:
        reason = pdf_problem(tmp)
    if reason:
        raise DossierError(tr("Cannot write {} to {}: {}").format(what, target, write_failure_reason(tmp, reason)))


def check_writable(folder):
    """Raise DossierError when ``folder`` cannot take new files.

    Nothing is created: a folder that does not exist yet is checked through its nearest
    existing parent, so a check followed by a cancelled run leaves no empty folder behind.
    """
    path = os.path.abspath(folder)
    while not os.path.exists(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    try:
        if not os.path.isdir(path):
            raise NotADirectoryError(20, os.strerror(20))
        fd, probe = tempfile.mkstemp(prefix=".landeval-probe-", dir=path)
        os.close(fd)
        os.remove(probe)
    except OSError as exc:
        raise DossierError(tr("Cannot write to the output folder {}: {}").format(folder, exc.strerror or exc)) from exc
