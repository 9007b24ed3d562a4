"""一地一档 in the background: landeval:dossiers in a child process (tasks/dossier_job.py) and
through the Dossiers page's QgsTask. Outcomes are checked in the files; no timings."""
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dossier_fixture import YEAR, code_for, make_district

TITLE = "{}年度产业用地综合绩效评估体检表".format(YEAR)
CHOSEN = (1, 4, 7)


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def pdf_text(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE, check=True).stdout
    return unicodedata.normalize("NFKC", out.decode("utf-8"))


def leftovers(folder):
    """Temporary names a run may leave: staging folders, .landeval-* temp files, .part files."""
    found = []
    for root, dirs, files in os.walk(folder):
        found += [os.path.join(root, n) for n in dirs + files if n.startswith(".landeval") or n.endswith(".part")]
    return found


def job_temp_dirs():
    return sorted(n for n in os.listdir(tempfile.gettempdir()) if n.startswith("landeval-job-"))


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path_factory, monkeypatch):
    """The job's temporary folders go to a folder of this test only: other test runs on the same
    machine create and remove landeval-job-* folders in /tmp while we compare listings."""
    folder = tmp_path_factory.mktemp("jobtmp")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


@pytest.fixture
def district(qgis_app):
    from qgis.core import QgsProject

    parcels, enterprises, clusters = make_district(12, big_enterprise_parcel=4)
    QgsProject.instance().addMapLayers([parcels, enterprises, clusters])
    parcels.selectByIds([f.id() for f in parcels.getFeatures()
                         if f["parcel_code"] in {code_for(i) for i in CHOSEN}])
    yield parcels, enterprises, clusters
    QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def make_job(district, out, **kw):
    from landeval_plugin.tasks.dossier_job import DossierJob

    parcels, enterprises, clusters = district
    options = dict(selected_only=True, enterprises=enterprises, clusters=clusters,
                   output_folder=str(out / "sheets"), output_pdf=str(out / "all.pdf"), xlsx=str(out / "all.xlsx"))
    options.update(kw)
    return DossierJob(parcels, **options)


def test_python_for_the_child_can_import_qgis():
    from landeval_plugin.tasks import dossier_job

    python = dossier_job.find_python()
    assert python and os.path.basename(python).lower().startswith("python")
    env = dict(os.environ, PYTHONPATH=dossier_job.child_python_path())
    out = subprocess.run([python, "-c", "import qgis.core, processing, landeval_plugin; print('ok')"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_job_prints_chosen_parcels_in_a_child_process(district, tmp_path):
    before = job_temp_dirs()
    events = []
    job = make_job(district, tmp_path).prepare()
    # the child gets a copy: the 3 chosen parcels and the whole layer for the neighbours
    from qgis.core import QgsVectorLayer

    assert QgsVectorLayer(job.tmpdir + "/input.gpkg|layername=chosen", "c", "ogr").featureCount() == 3
    assert QgsVectorLayer(job.tmpdir + "/input.gpkg|layername=parcels", "p", "ogr").featureCount() == 12
    results = job.run(events.append)
    assert job.child_pid and job.child_pid != os.getpid()
    assert results["SHEETS"] == 3
    sheets = tmp_path / "sheets"
    assert sorted(os.listdir(sheets)) == sorted(code_for(i) + ".pdf" for i in CHOSEN)
    pages = {i: pdf_pages(str(sheets / (code_for(i) + ".pdf"))) for i in CHOSEN}
    assert pages == {1: 2, 4: 3, 7: 2}  # parcel 4 has 45 enterprises: a 附表 page
    assert results["PAGES"] == 7
    for i in CHOSEN:
        text = pdf_text(str(sheets / (code_for(i) + ".pdf")))
        assert code_for(i) in text and TITLE in text
        # the sources line names the planner's enterprise layer, not the child's copy ("input", issue 14)
        flat = text.replace("\n", "").replace(":", "：")
        assert "企业数据：{}".format(district[1].name()) in flat, flat
        assert "企业数据：input" not in flat
    combined = pdf_text(str(tmp_path / "all.pdf"))
    assert pdf_pages(str(tmp_path / "all.pdf")) == 7
    assert all(code_for(i) in combined for i in CHOSEN)
    assert code_for(2) not in combined.replace(code_for(2) + ".", "")  # only the chosen ones
    from openpyxl import load_workbook

    assert len(load_workbook(str(tmp_path / "all.xlsx")).sheetnames) == 4  # 目录 + 3 sheets
    assert results["OUTPUT_FOLDER"] == str(sheets) and results["OUTPUT_PDF"] == str(tmp_path / "all.pdf")
    # the child reported as it went, and nothing temporary is left anywhere
    progress = [e["value"] for e in events if e["event"] == "progress"]
    assert progress and progress == sorted(progress) and progress[-1] == 100
    assert any(e["event"] == "text" for e in events)
    assert leftovers(str(tmp_path)) == []
    assert job.tmpdir is None and job_temp_dirs() == before


def test_cancel_shortly_after_start_leaves_nothing(district, tmp_path):
    before = job_temp_dirs()
    job = make_job(district, tmp_path, selected_only=False)
    seen, at_cancel = [], []

    def report(event):
        seen.append(event)
        # the first sheets are printed into the staging folder: kill the child now
        if event["event"] == "progress" and event["value"] >= 15 and not job.is_canceled():
            at_cancel.extend(n for _, _, files in os.walk(str(tmp_path)) for n in files)
            job.cancel()

    assert job.run(report) is None
    assert any(e["event"] == "progress" for e in seen)
    assert any(p.endswith(".pdf") for p in at_cancel), at_cancel  # half a run was on disk when killed
    assert sorted(os.listdir(tmp_path)) == []  # no folder of sheets, no PDF, no xlsx, no temp file
    assert leftovers(str(tmp_path)) == []
    assert job_temp_dirs() == before


def test_cancel_keeps_files_of_an_earlier_run(district, tmp_path):
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    old = sheets / (code_for(1) + ".pdf")
    old.write_bytes(b"%PDF-1.4 earlier run")
    job = make_job(district, tmp_path, output_pdf="", xlsx="")

    def report(event):
        if event["event"] == "progress" and event["value"] >= 20:
            job.cancel()

    assert job.run(report) is None
    assert os.listdir(sheets) == [old.name] and old.read_bytes() == b"%PDF-1.4 earlier run"
    assert leftovers(str(tmp_path)) == []


def test_broken_template_reaches_the_parent_naming_the_file(district, tmp_path):
    from landeval_plugin.core.dossiers.errors import DossierError
    from landeval_plugin.tasks.dossier_job import ChildUnavailable

    before = job_temp_dirs()
    broken = tmp_path / "broken.qpt"
    broken.write_text("this is not a layout", encoding="utf-8")
    job = make_job(district, tmp_path / "out", template=str(broken))
    with pytest.raises(DossierError) as info:
        job.run()
    assert not isinstance(info.value, ChildUnavailable)
    assert str(broken) in str(info.value) and "template" in str(info.value).lower()
    assert job.child_pid  # said by the child
    # a template that is a layout but has no page fails while printing, in the child
    no_page = tmp_path / "no_page.qpt"
    no_page.write_text('<Layout name="x" units="mm"><PageCollection/></Layout>', encoding="utf-8")
    job = make_job(district, tmp_path / "out", template=str(no_page))
    with pytest.raises(DossierError) as info:
        job.run()
    assert str(no_page) in str(info.value) and "could not be read" in str(info.value)
    assert not os.path.exists(tmp_path / "out")  # created for the run, removed with it
    assert job_temp_dirs() == before


def test_unwritable_folder_is_reported_naming_it(district, tmp_path):
    from landeval_plugin.core.dossiers.errors import DossierError

    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    job = make_job(district, tmp_path, output_folder=str(blocker / "sheets"), output_pdf="", xlsx="")
    with pytest.raises(DossierError) as info:
        job.run()
    assert str(blocker / "sheets") in str(info.value)
    assert sorted(os.listdir(tmp_path)) == ["a_file"]


def test_no_interpreter_is_said_so(district, tmp_path):
    from landeval_plugin.tasks.dossier_job import ChildUnavailable

    job = make_job(district, tmp_path, python="")
    with pytest.raises(ChildUnavailable):
        job.run()
    assert leftovers(str(tmp_path)) == [] and not os.path.exists(tmp_path / "sheets")


def test_the_copy_for_the_child_honours_the_layer_filter(district, tmp_path):
    from qgis.core import QgsVectorLayer

    parcels = district[0]
    parcels.setSubsetString("\"grade\" = 'D'")
    try:
        job = make_job(district, tmp_path, selected_only=False).prepare()
        copy = QgsVectorLayer(job.tmpdir + "/input.gpkg|layername=parcels", "p", "ogr")
        assert sorted(f["parcel_code"] for f in copy.getFeatures()) == [code_for(3), code_for(8)]
        assert QgsVectorLayer(job.tmpdir + "/input.gpkg|layername=enterprises", "e", "ogr").featureCount() == \
            district[1].featureCount()
        tmpdir = job.tmpdir
        job.cleanup()
        assert not os.path.exists(tmpdir) and leftovers(str(tmp_path)) == []
    finally:
        parcels.setSubsetString("")
