"""Dossier runs that fail or are stopped (issue 11, points 2 and 7, dossiers part).

* full disk (a 300 KB tmpfs, as root) and a file size limit (RLIMIT_FSIZE in the child,
  SIGXFSZ ignored): the run ends with a non-zero exit status and a Chinese message naming the
  file and the reason; nothing partial is published, files of an earlier run stay as they were;
* SIGINT and SIGTERM to qgis_process during a print: it stops, exits non-zero, says so in
  Chinese and leaves no staging folder, no landeval-* temporary folder, no partial PDF;
* the background print's child (tasks/dossier_job.py), killed or terminated: nothing left.
Inputs are checked unchanged by sha256. Layers are generated in code.
"""
import contextlib
import glob
import os
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rel_text_support import ROOT, hostile_district, leftovers, process_env, qgis_process, run_args, sha256

EARLIER = b"%PDF-1.4 an earlier run's sheet\n%%EOF\n"


def earlier_run(folder, name="keep.pdf"):
    os.makedirs(str(folder), exist_ok=True)
    path = os.path.join(str(folder), name)
    with open(path, "wb") as fh:
        fh.write(EARLIER)
    return path


def files_in(folder):
    return sorted(os.listdir(str(folder))) if os.path.isdir(str(folder)) else []


def limit_file_size(nbytes):
    """preexec_fn: files of the child may not grow beyond ``nbytes`` (writes fail with EFBIG)."""
    def apply():
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return apply


@contextlib.contextmanager
def small_tmpfs(path, size="300k"):
    os.makedirs(str(path), exist_ok=True)
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", str(path)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if mount.returncode != 0:  # the file size limit test below covers the same checks unprivileged
        pytest.skip("mounting a tmpfs needs root: {}".format(mount.stdout.decode("utf-8", "replace").strip()))
    try:
        yield str(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def district(qgis_app, tmp_path):
    uri = hostile_district(tmp_path / "in", n=24)
    return uri, uri.split("|")[0]


# ---------------------------------------------------------------------------- full disk
def test_full_disk_publishes_no_pdf_and_keeps_the_earlier_run(district, tmp_path):
    uri, gpkg = district
    before = sha256(gpkg)
    with small_tmpfs(tmp_path / "small") as disk:
        out = os.path.join(disk, "sheets")
        keep = earlier_run(out)
        status, output = qgis_process(tmp_path, "landeval:dossiers", {"INPUT": uri, "OUTPUT_FOLDER": out})
        assert status != 0, output
        assert "无法写入宗地" in output and "的体检表" in output and "磁盘已满" in output, output
        assert "页数" not in output and "PAGES" not in output, output  # no success reported
        assert files_in(out) == ["keep.pdf"] and sha256(keep) == sha256_bytes(EARLIER)
        assert leftovers(disk) == []
    assert sha256(gpkg) == before


def sha256_bytes(data):
    import hashlib

    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("outputs, limit, message", [
    (("OUTPUT_FOLDER", "OUTPUT_PDF", "XLSX"), 60 * 1024, "文件不完整"),   # the first sheet is cut
    (("OUTPUT_PDF",), 200 * 1024, "无法写入合并 PDF"),                       # the combined PDF is cut
    (("XLSX",), 20 * 1024, "文件超过系统允许的大小"),                         # the workbook cannot be saved
], ids=["sheets", "combined", "workbook"])
def test_file_size_limit_fails_naming_the_file_and_publishes_nothing(district, tmp_path, outputs, limit, message):
    uri, gpkg = district
    before = sha256(gpkg)
    out = tmp_path / "out"
    targets = {"OUTPUT_FOLDER": str(out / "sheets"), "OUTPUT_PDF": str(out / "all.pdf"), "XLSX": str(out / "all.xlsx")}
    kept = [earlier_run(out / "sheets"), earlier_run(out, "all.pdf"), earlier_run(out, "all.xlsx")]
    params = {"INPUT": uri, "OVERWRITE": "true"}  # replacing the earlier run's files is intended
    params.update({k: targets[k] for k in outputs})
    env = process_env(tmp_path, TMPDIR=str(tmp_path / "tmp"))
    os.makedirs(env["TMPDIR"])
    status, output = qgis_process(tmp_path, "landeval:dossiers", params, env=env, preexec_fn=limit_file_size(limit))
    assert status != 0, output
    assert message in output, output
    named = [t for k, t in targets.items() if k in outputs and (t in output or os.path.dirname(t) in output)]
    assert named, output  # the message names the file
    assert all(sha256(p) == sha256_bytes(EARLIER) for p in kept)
    assert files_in(out / "sheets") == ["keep.pdf"] and files_in(out) == ["all.pdf", "all.xlsx", "sheets"]
    assert leftovers(out) == [] and leftovers(env["TMPDIR"]) == []
    assert sha256(gpkg) == before


def test_publication_is_all_or_nothing(tmp_path):
    from landeval_plugin.core.dossiers.errors import DossierError
    from landeval_plugin.core.dossiers.publication import Publication

    first, blocked = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(b"old a")
    blocked.mkdir()  # a folder where a file must go: the second move fails
    staged_a, staged_b = tmp_path / ".landeval-a", tmp_path / ".landeval-b"
    staged_a.write_bytes(b"new a")
    staged_b.write_bytes(b"new b")
    pub = Publication()
    pub.add(str(staged_a), str(first))
    pub.add(str(staged_b), str(blocked))
    with pytest.raises(DossierError, match="b.pdf"):
        pub.commit()
    pub.discard()
    assert first.read_bytes() == b"old a" and blocked.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]


# ---------------------------------------------------------------------------- signals
def _first_staged_pdf(folder):
    return glob.glob(os.path.join(folder, ".landeval-dossiers-*", "*.pdf"))


@pytest.mark.parametrize("signum, name, status", [(signal.SIGINT, "SIGINT", 1), (signal.SIGTERM, "SIGTERM", -15)],
                         ids=["SIGINT", "SIGTERM"])
def test_signal_stops_a_print_and_leaves_nothing(qgis_app, tmp_path, signum, name, status):
    uri = hostile_district(tmp_path / "in", n=400)  # a run of minutes: stopped after its first sheets
    gpkg = uri.split("|")[0]
    before = sha256(gpkg)
    out = tmp_path / "out"
    keep = earlier_run(out / "sheets")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = process_env(tmp_path, TMPDIR=str(temp))
    args = run_args("landeval:dossiers", {"INPUT": uri, "OUTPUT_FOLDER": str(out / "sheets"),
                                          "XLSX": str(out / "all.xlsx")})
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while not _first_staged_pdf(str(out / "sheets")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()[0].decode("utf-8", "replace")
        staged = len(_first_staged_pdf(str(out / "sheets")))
        assert staged >= 1
        sent = time.monotonic()
        proc.send_signal(signum)
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("qgis_process still running 30 s after {}".format(name))
        stopped_after = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    output = output.decode("utf-8", "replace")
    assert proc.returncode == status, (proc.returncode, output)
    assert "收到信号 {}，已停止：未发布任何文件".format(name) in output, output
    assert "已写入" not in output, output  # no output reported as written
    assert files_in(out / "sheets") == ["keep.pdf"] and sha256(keep) == sha256_bytes(EARLIER)
    assert files_in(out) == ["sheets"]  # no workbook, no partial PDF
    assert leftovers(out) == [] and leftovers(temp) == []  # no staging, no landeval-* temporary folder
    assert sha256(gpkg) == before
    print("{}: stopped {:.2f} s after the signal ({} sheets were staged)".format(name, stopped_after, staged))


def test_stop_signal_interrupts_a_long_python_step_and_restores_handlers(tmp_path):
    script = tmp_path / "child.py"
    script.write_text('''
import os, signal, sys, threading
sys.path.insert(0, {root!r})
from landeval_plugin.core import interrupt

class Feedback:
    cancelled = False
    def cancel(self):
        self.cancelled = True

feedback = Feedback()
previous = signal.getsignal(signal.SIGTERM)
previous_int = signal.getsignal(signal.SIGINT)  # SIG_IGN when the test run was started in the background
with interrupt.stop_on_signals(feedback) as stop:
    threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    try:
        with interrupt.raising():
            while True:  # pure Python without cancel checks, as openpyxl saving a workbook
                pass
    except interrupt.Interrupted:
        print("interrupted", stop.name(), feedback.cancelled)
print("restored", signal.getsignal(signal.SIGTERM) is previous, signal.getsignal(signal.SIGINT) is previous_int)
'''.format(root=ROOT), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    lines = proc.stdout.decode().split("\n")
    assert proc.returncode == 0, proc.stdout
    assert "interrupted SIGINT True" in lines and "restored True True" in lines, proc.stdout


# ---------------------------------------------------------------------------- the background print
def test_background_print_child_stopped_leaves_nothing(qgis_app, tmp_path):
    """DossierJob: a cancel kills the child, a SIGTERM to the child stops it; either way no staging
    folder, no temporary folder and no child process remain, and earlier files are kept."""
    from qgis.core import QgsProject, QgsVectorLayer

    from landeval_plugin.core.dossiers.errors import DossierError
    from landeval_plugin.tasks.dossier_job import DossierJob

    uri = hostile_district(tmp_path / "in", n=30)
    gpkg = uri.split("|")[0]
    before = sha256(gpkg)
    layer = QgsVectorLayer(uri, "parcels", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        for how in ("cancel", "sigterm"):
            out = tmp_path / how
            keep = earlier_run(out / "sheets")
            job = DossierJob(layer, output_folder=str(out / "sheets"), xlsx=str(out / "all.xlsx"))
            seen = {}

            def report(event, job=job, seen=seen, how=how):
                if event["event"] == "progress" and event["value"] >= 15 and "stopped" not in seen:
                    seen["stopped"] = True
                    seen["tmpdir"] = job.tmpdir
                    if how == "cancel":
                        job.cancel()
                    else:
                        os.kill(job.child_pid, signal.SIGTERM)

            if how == "cancel":
                assert job.run(report) is None
            else:
                with pytest.raises(DossierError):
                    job.run(report)
            assert seen.get("stopped"), how
            with pytest.raises(ProcessLookupError):
                os.kill(job.child_pid, 0)
            assert not os.path.exists(seen["tmpdir"])
            assert files_in(out / "sheets") == ["keep.pdf"] and sha256(keep) == sha256_bytes(EARLIER)
            assert files_in(out) == ["sheets"] and leftovers(out) == []
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    assert sha256(gpkg) == before
