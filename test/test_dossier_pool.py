"""一地一档 printed by several processes at once (core/dossiers/pool.py): the same sheets as one
process, a combined PDF joined in sheet order, and a failed, killed or cancelled worker leaves no
output. Two processes are forced on a few sheets (LANDEVAL_DOSSIER_MIN_SHEETS); no timings."""
import os
import re
import subprocess
import sys
import unicodedata

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dossier_fixture import YEAR, code_for, make_district
from feedback_log import recording_feedback

TITLE = "{}年度产业用地综合绩效评估体检表".format(YEAR)
SHEETS = 8


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", str(path)], stdout=subprocess.PIPE, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def page_texts(path):
    """NFKC text of every page (pdftotext, dates masked: the sheets print today's date)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], stdout=subprocess.PIPE,
                         check=True).stdout.decode("utf-8")
    pages = unicodedata.normalize("NFKC", out).split("\f")
    return [re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", p) for p in pages[:-1]]


def leftovers(folder):
    found = []
    for _root, dirs, files in os.walk(folder):
        found += [n for n in dirs + files if n.startswith(".landeval") or n.endswith(".part")]
    return found


def gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def two_processes(monkeypatch):
    monkeypatch.setenv("LANDEVAL_DOSSIER_MIN_SHEETS", "2")
    monkeypatch.delenv("LANDEVAL_TEST_WORKER_CRASH", raising=False)


@pytest.fixture
def printed(qgis_app):
    """A printer factory over the same sheets (one parcel with 45 enterprises on three pages)."""
    from landeval_plugin.core.dossiers.printer import DossierPrinter
    from landeval_plugin.core.dossiers.sheet_data import SheetData

    parcels, enterprises, clusters = make_district(SHEETS, seed=11, big_enterprise_parcel=5, ungraded={2})
    made = []

    def printer(processes):
        data = SheetData(parcels.getFeatures(), parcels.fields(), parcels.crs(), enterprises=enterprises,
                         clusters=clusters, print_date="2026-11-30")
        made.append((DossierPrinter(data, neighbours=parcels, processes=processes), data))
        return made[-1][0]

    yield printer
    for p, data in made:
        p.close()
        data.close()


def test_process_count_and_slices(monkeypatch):
    from landeval_plugin.core.dossiers import pool

    monkeypatch.delenv(pool.ENV_MIN_SHEETS, raising=False)
    monkeypatch.delenv(pool.ENV_PROCESSES, raising=False)
    assert pool.process_count(1000, 1) == 1
    assert pool.process_count(1000, 4) == 4
    assert pool.process_count(250, 4) == 2  # at least MIN_SHEETS (100) each
    assert pool.process_count(99, 4) == 1
    assert pool.process_count(1000, 0) == max(1, min(os.cpu_count() or 1, pool.MAX_PROCESSES))
    monkeypatch.setenv(pool.ENV_MIN_SHEETS, "2")
    assert pool.process_count(5, 3) == 2
    monkeypatch.setenv(pool.ENV_PROCESSES, "3")
    assert pool.process_count(9, 0) == 3
    assert pool.slices(10, 3) == [(0, 3), (3, 6), (6, 10)]
    assert pool.slices(8, 2) == [(0, 4), (4, 8)]
    assert pool.slices(1000, 2, 30) == [(0, 515), (515, 1000)]  # the printer starts first: a head start
    assert pool.slices(8, 2, 30) == [(0, 5), (5, 8)]  # at most half a share
    assert pool.slices(9, 3, 30) == [(0, 3), (3, 6), (6, 9)]


def test_parallel_per_parcel_files_equal_one_process(printed, two_processes, tmp_path):
    one, two = printed(1), printed(2)
    log = recording_feedback()
    a = one.print_folder(str(tmp_path / "one"))
    b = two.print_folder(str(tmp_path / "two"), log)
    assert any("2" in line and ("processes" in line or "进程" in line) for line in log.lines), log.lines
    assert len(two.worker_pids) == 1 and all(gone(pid) for pid in two.worker_pids)
    assert [(code, os.path.basename(path), pages) for code, path, pages in a] == \
           [(code, os.path.basename(path), pages) for code, path, pages in b]
    assert [code for code, _, _ in b] == [code_for(i) for i in range(SHEETS)]
    assert sorted(os.listdir(tmp_path / "two")) == sorted(code_for(i) + ".pdf" for i in range(SHEETS))
    for (code, pa, pages), (_, pb, _) in zip(a, b):
        assert pdf_pages(pb) == pages == (3 if code == code_for(5) else 2)
        assert page_texts(pa) == page_texts(pb), code
        assert code in page_texts(pb)[0]
    assert leftovers(tmp_path) == []


def test_combined_pdf_joined_from_parts_in_sheet_order(printed, two_processes, tmp_path):
    from landeval_plugin.core.formats.pdf_outline import read_pdf_outline

    one, two = printed(1), printed(2)
    log = recording_feedback()
    a = one.print_combined(str(tmp_path / "one.pdf"))
    b = two.print_combined(str(tmp_path / "two.pdf"), log)
    assert any("2" in line for line in log.lines)
    assert a == b  # (code, first page, pages) per sheet
    assert pdf_pages(tmp_path / "two.pdf") == sum(c for _, _, c in b) == 2 * SHEETS + 1
    texts = page_texts(tmp_path / "two.pdf")
    assert texts == page_texts(tmp_path / "one.pdf")
    for code, first, _ in b:  # sheet order: each sheet's first page names its parcel, searchable
        assert code in texts[first] and TITLE in texts[first]
    assert read_pdf_outline(str(tmp_path / "two.pdf")) == read_pdf_outline(str(tmp_path / "one.pdf"))
    assert [t.split()[0] for t, _ in read_pdf_outline(str(tmp_path / "two.pdf"))] == \
           [code_for(i) for i in range(SHEETS)]
    assert sorted(os.listdir(tmp_path)) == ["one.pdf", "two.pdf"]


@pytest.mark.parametrize("output", ["folder", "combined"])
def test_a_killed_worker_fails_the_run_naming_the_parcel_and_leaves_nothing(printed, two_processes, tmp_path,
                                                                            monkeypatch, output):
    from landeval_plugin.core.dossiers.errors import DossierError

    crash = code_for(6)  # in the second slice (sheets 5..7): the worker kills itself there
    monkeypatch.setenv("LANDEVAL_TEST_WORKER_CRASH", crash)
    printer = printed(2)
    out = tmp_path / "out"
    os.makedirs(out)
    (out / "earlier.pdf").write_bytes(b"%PDF-1.4 earlier run\n")
    with pytest.raises(DossierError) as err:
        if output == "folder":
            printer.print_folder(str(out))
        else:
            printer.print_combined(str(out / "all.pdf"))
    assert crash in str(err.value)
    assert sorted(os.listdir(out)) == ["earlier.pdf"]
    assert (out / "earlier.pdf").read_bytes() == b"%PDF-1.4 earlier run\n"
    assert all(gone(pid) for pid in printer.worker_pids)


def test_a_worker_error_fails_the_run_with_the_workers_message(printed, two_processes, tmp_path):
    from landeval_plugin.core.dossiers.errors import DossierError

    printer = printed(2)
    printer.template = str(tmp_path / "gone.qpt")  # the workers load the template again: not there
    with pytest.raises(DossierError) as err:
        printer.print_folder(str(tmp_path / "out"))
    from landeval_plugin.core.dossiers import pool

    message = str(err.value)
    worker_first = pool.slices(SHEETS, 2, pool.HEAD_START)[1][0]  # the worker's first sheet
    assert "gone.qpt" in message and code_for(worker_first) in message
    assert os.listdir(tmp_path / "out") == []


@pytest.mark.parametrize("output", ["folder", "combined"])
def test_cancel_stops_every_worker_and_leaves_nothing(printed, two_processes, tmp_path, output):
    from qgis.core import QgsProcessingFeedback

    class CancelAfterFirstSheets(QgsProcessingFeedback):
        def setProgress(self, value):
            super().setProgress(value)
            if value > 20:
                self.cancel()

    printer = printed(2)
    out = tmp_path / "out"
    if output == "folder":
        assert printer.print_folder(str(out), CancelAfterFirstSheets()) is None
    else:
        assert printer.print_combined(str(out / "all.pdf"), CancelAfterFirstSheets()) is None
    assert os.listdir(out) == []
    assert len(printer.worker_pids) == 1 and all(gone(pid) for pid in printer.worker_pids)


def test_algorithm_workers_parameter(qgis_app, run_alg, two_processes, tmp_path):
    from qgis.core import QgsProcessingFeedback, QgsProject

    parcels, enterprises, clusters = make_district(6, seed=3)
    QgsProject.instance().addMapLayers([parcels, enterprises, clusters])
    try:
        log = []

        class Feedback(QgsProcessingFeedback):
            def pushInfo(self, text):
                log.append(text)
                super().pushInfo(text)

        params = {"INPUT": parcels, "ENTERPRISES": enterprises, "CLUSTERS": clusters, "WORKERS": 2,
                  "OUTPUT_FOLDER": str(tmp_path / "s"), "OUTPUT_PDF": str(tmp_path / "a.pdf")}
        result = run_alg("landeval:dossiers", params, feedback=Feedback())
        assert result["SHEETS"] == 6 and result["PAGES"] == 12
        assert sorted(os.listdir(tmp_path / "s")) == sorted(code_for(i) + ".pdf" for i in range(6))
        assert pdf_pages(tmp_path / "a.pdf") == 12
        assert sum(1 for line in log if "2" in line and ("processes" in line or "进程" in line)) == 2, log
        log.clear()
        run_alg("landeval:dossiers", {"INPUT": parcels, "OUTPUT_PDF": str(tmp_path / "b.pdf"), "WORKERS": 1},
                feedback=Feedback())
        assert not any("processes" in line or "进程" in line for line in log), log
        assert pdf_pages(tmp_path / "b.pdf") == 12
    finally:
        QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def processes_using(path):
    """Pids of processes whose command line names ``path`` (the workers' spec files lie under it)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/{}/cmdline".format(name), "rb") as fh:
                    if str(path).encode() in fh.read():
                        found.append(int(name))
            except OSError:
                pass
    return found


def test_background_job_prints_with_workers_and_a_kill_stops_them(qgis_app, two_processes, tmp_path):
    """The Dossiers page's background print (tasks/dossier_job.py) runs the algorithm in a child,
    which starts the workers; killing that child (cancel) ends the workers too (their stdin closes)."""
    import time

    from qgis.core import QgsProject

    from landeval_plugin.tasks.dossier_job import DossierJob

    parcels, enterprises, clusters = make_district(6, seed=5)
    QgsProject.instance().addMapLayers([parcels, enterprises, clusters])
    try:
        events = []
        job = DossierJob(parcels, enterprises=enterprises, clusters=clusters, output_folder=str(tmp_path / "s"),
                         output_pdf=str(tmp_path / "all.pdf"))
        results = job.run(events.append)
        assert results["SHEETS"] == 6 and results["PAGES"] == 12
        assert sorted(os.listdir(tmp_path / "s")) == sorted(code_for(i) + ".pdf" for i in range(6))
        assert pdf_pages(tmp_path / "all.pdf") == 12
        infos = [e.get("text", "") for e in events if e["event"] == "info"]
        assert sum(1 for t in infos if "2" in t and ("processes" in t or "进程" in t)) == 2, infos
        assert leftovers(tmp_path) == []

        out = tmp_path / "cancelled"
        job = DossierJob(parcels, enterprises=enterprises, clusters=clusters, output_folder=str(out / "s"))
        seen = []

        def report(event):
            # the workers are running once the printer said so: kill the child now
            text = event.get("text", "")
            if event["event"] == "info" and ("processes" in text or "进程" in text) and not job.is_canceled():
                seen.extend(processes_using(out))
                job.cancel()

        assert job.run(report) is None
        assert seen, "no worker was running when the child was killed"
        for _ in range(100):  # each worker sees its stdin close and exits
            if not processes_using(out):
                break
            time.sleep(0.2)
        assert processes_using(out) == []
        assert not out.exists() or leftovers(out) == [] and os.listdir(out) == []
    finally:
        QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def test_workers_that_cannot_start_qgis_leave_their_sheets_to_the_printer(printed, two_processes, tmp_path,
                                                                          monkeypatch):
    """An interpreter without QGIS (here /bin/false): a warning, and the printer prints every sheet."""
    monkeypatch.setenv("LANDEVAL_PYTHON", "/bin/false")
    one, two = printed(1), printed(2)
    log = recording_feedback()
    a = one.print_combined(str(tmp_path / "one.pdf"))
    b = two.print_combined(str(tmp_path / "two.pdf"), log)
    assert a == b
    assert page_texts(tmp_path / "two.pdf") == page_texts(tmp_path / "one.pdf")
    assert any("could not start QGIS" in line or "无法启动 QGIS" in line for line in log.lines), log.lines
    files = two.print_folder(str(tmp_path / "s"))
    assert [os.path.basename(p) for _, p, _ in files] == [code_for(i) + ".pdf" for i in range(SHEETS)]
    assert sorted(os.listdir(tmp_path)) == ["one.pdf", "s", "two.pdf"] and leftovers(tmp_path) == []


def test_parts_the_joiner_refuses_are_printed_again_in_one_process(printed, two_processes, tmp_path, monkeypatch):
    from landeval_plugin.core.dossiers import printer as printer_module
    from landeval_plugin.core.formats.pdf_join import PdfJoinError

    def refuse(parts, target):
        raise PdfJoinError("{}: an incremental update or an encrypted file".format(parts[1]))

    monkeypatch.setattr(printer_module, "join_pdfs", refuse)
    one, two = printed(1), printed(2)
    log = recording_feedback()
    a = one.print_combined(str(tmp_path / "one.pdf"))
    b = two.print_combined(str(tmp_path / "two.pdf"), log)
    assert a == b
    assert page_texts(tmp_path / "two.pdf") == page_texts(tmp_path / "one.pdf")
    assert any("could not be joined" in line or "无法拼接" in line for line in log.lines), log.lines
    assert sorted(os.listdir(tmp_path)) == ["one.pdf", "two.pdf"]
