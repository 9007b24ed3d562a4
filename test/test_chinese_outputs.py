"""Chinese everywhere a planner looks (issue 14.4): every algorithm run on the sample district
(QGIS in Chinese) writes layers whose every field has a Chinese alias (read back from the file,
as the attribute table, identify and forms show it), workbooks with Chinese headers, and
reports, logs and summaries without Python values or English words."""
import json
import os
import re

import pytest

CJK = re.compile(r"[\u3400-\u9fff]")
# Python values and English words that leaked into Chinese texts before (issue 14): the join
# report's layout "wide", the disposal summary's "None", "input" as a source name, booleans
ENGLISH = re.compile(r"(?<![A-Za-z_])(None|True|False|wide|long|input|null|NULL|nan|NaN|inf)(?![A-Za-z_])")


def json_strings(value):
    """Every key and string value of a JSON document (its null/true/false are JSON's, for machines)."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k)] + json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return [value] if isinstance(value, str) else []


def english_words(text):
    """The banned words in ``text``, ignoring file paths, URIs and expressions in quotes; in a JSON
    output (SUMMARY, REPORT), the words of its keys and strings."""
    try:
        parsed = json.loads(text) if isinstance(text, str) and text[:1] in "{[" else None
    except ValueError:
        parsed = None
    if parsed is not None:
        return [w for s in json_strings(parsed) for w in english_words(s)]
    text = re.sub(r"\S*[/\\]\S*", " ", str(text))   # paths and URIs name files, not words
    text = re.sub(r"\"[^\"]*\"", " ", text)          # field names in expressions ("grade")
    text = re.sub(r"\bIS\s+(NOT\s+)?NULL\b", " ", text)  # a rule's QGIS expression, quoted as the rule set has it
    return ENGLISH.findall(text)


class Log:
    """A QgsProcessingFeedback that keeps every message a planner sees in the log."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.lines = []

            def pushInfo(self, info):
                self.lines.append(info)
                super().pushInfo(info)

            def pushWarning(self, warning):
                self.lines.append(warning)
                super().pushWarning(warning)

            def reportError(self, error, fatalError=False):
                self.lines.append(error)
                super().reportError(error, fatalError)

            def setProgressText(self, text):
                self.lines.append(text)
                super().setProgressText(text)

        return _Feedback()


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, qgis_processing):
    """Every landeval algorithm once, in Chinese, on a 300-parcel sample district:
    {"layers": [(alg, uri)], "workbooks": [(alg, path)], "texts": [(alg, what, text)]}."""
    import processing
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProject

    from landeval_plugin.i18n import install_translator, remove_translator
    from landeval_plugin.processing.provider import LandEvalProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("landeval")
    keep = None
    if provider is None:
        keep = LandEvalProvider()
        registry.addProvider(keep)
    out = str(tmp_path_factory.mktemp("chinese_outputs"))
    layers, workbooks, texts = [], [], []

    def run(alg, **params):
        log = Log()
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        res = processing.run("landeval:" + alg, params, feedback=log, context=context)
        # (processing.run's own "Results: {...}" line is Processing's, not LandEval's: the values are checked below)
        texts.extend((alg, "log", line) for line in log.lines if not line.startswith("Results: {"))
        for key, value in res.items():
            if isinstance(value, str) and key not in ("OUTPUT", "OUTPUT_PARCELS", "OUTPUT_ENTERPRISES", "OUTPUT_GPKG",
                                                      "OUTPUT_FOLDER") and not os.path.exists(value.split("|")[0]):
                texts.append((alg, key, value))
        return res

    assert install_translator("zh-Hans")
    try:
        sample = run("sampledistrict", OUTPUT_FOLDER=os.path.join(out, "sample"), PARCELS=300, SEED=7)
        gpkg = sample["OUTPUT_GPKG"]
        base = os.path.join(out, "base_map.gpkg")
        qa = os.path.join(out, "base_map_qa.gpkg")
        run("buildbaselayer",
            SOURCES=[gpkg + "|layername=bdcdj", sample["OUTPUT_YDPW_SHP"], gpkg + "|layername=tdlyxz"],
            ROLES="不动产登记,用地批文,土地利用现状", OUTPUT=base, QA_OUTPUT=qa)
        layers += [("buildbaselayer", base + "|layername=base_map"), ("buildbaselayer", qa + "|layername=base_map_qa")]
        data, ents, report = (os.path.join(out, n)
                              for n in ("parcels_data.gpkg", "enterprises.gpkg", "join_report.xlsx"))
        run("joinenterprises", INPUT=base + "|layername=base_map", TABLE=sample["OUTPUT_ENTERPRISES"],
            LINK=sample["OUTPUT_LINK"], YEAR=2023, OUTPUT=data, OUTPUT_ENTERPRISES=ents, REPORT=report)
        layers += [("joinenterprises", data), ("joinenterprises", ents)]
        workbooks.append(("joinenterprises", report))
        forms = run("exportforms", INPUT=data, ENTERPRISES=ents, YEAR=2023, OUTPUT_FOLDER=os.path.join(out, "forms"))
        workbooks += [("exportforms", p) for p in forms.get("FILES") or []]
        graded = os.path.join(out, "graded.gpkg")
        run("grade", INPUT=data, STANDARD="zhejiang_huangyan_2022", OUTPUT=graded)
        layers.append(("grade", graded))
        reviewed = os.path.join(out, "reviewed.gpkg")
        run("review", INPUT=graded, FILTER="\"grade\" = 'D'", GRADE=2, REASON="研判会认定整改中", BY="规划科",
            OUTPUT=reviewed)
        layers.append(("review", reviewed))
        clusters, members = os.path.join(out, "clusters.gpkg"), os.path.join(out, "clustered.gpkg")
        run("clusters", INPUT=reviewed, FILTER="coalesce(\"grade_final\", \"grade\") IN ('C', 'D')", GAP_M=30,
            MIN_AREA_MU=5, MIN_PARCELS=2, OUTPUT=clusters, OUTPUT_PARCELS=members)
        layers += [("clusters", clusters), ("clusters", members)]
        disposal, plan = os.path.join(out, "disposal.gpkg"), os.path.join(out, "disposal_plan.xlsx")
        run("disposal", INPUT=members, RULESET="tonglu_2022", DEVELOPMENT_BOUNDARY=gpkg + "|layername=czkfbj",
            INDUSTRIAL_LINE=gpkg + "|layername=gybzx", OUTPUT=disposal, OUTPUT_PLAN=plan)
        layers.append(("disposal", disposal))
        workbooks.append(("disposal", plan))
        # the 研判会 algorithms and the store (other branches), when the provider has them
        names = {a.name() for a in QgsApplication.processingRegistry().providerById("landeval").algorithms()}
        if "statistics" in names:
            stats, book = os.path.join(out, "statistics.gpkg"), os.path.join(out, "statistics.xlsx")
            run("statistics", INPUT=disposal, OUTPUT_XLSX=book, OUTPUT_CHART=os.path.join(out, "statistics.png"),
                OUTPUT=stats)
            layers.append(("statistics", stats))
            workbooks.append(("statistics", book))
        if "exportmap" in names:
            run("exportmap", INPUT=disposal, KIND=0, PRESET=0, DPI=50, OUTPUT_PNG=os.path.join(out, "map.png"))
        if "lists" in names:
            book = os.path.join(out, "list_a.xlsx")
            run("lists", INPUT=disposal, KIND=0, OUTPUT_XLSX=book)
            workbooks.append(("lists", book))
        if "createstore" in names:
            store = os.path.join(out, "store.gpkg")
            run("createstore", FILE=store, CRS="EPSG:4549")
            run("grade", INPUT=data, STANDARD="zhejiang_huangyan_2022", YEAR=2023, STORE=store,
                OUTPUT=os.path.join(out, "graded_2023.gpkg"))
            if "samplenextyear" in names:
                nxt = os.path.join(out, "parcels_2024.gpkg")
                run("samplenextyear", INPUT=data, SEED=2, OUTPUT=nxt)
                layers.append(("samplenextyear", nxt))
                run("grade", INPUT=nxt, STANDARD="zhejiang_huangyan_2022", YEAR=2024, STORE=store,
                    OUTPUT=os.path.join(out, "graded_2024.gpkg"))
                if "comparerounds" in names:
                    changes = os.path.join(out, "changes.gpkg")
                    run("comparerounds", STORE=store, YEAR_A=2023, YEAR_B=2024, OUTPUT=changes)
                    layers.append(("comparerounds", changes))
            if "registerexport" in names:
                book = os.path.join(out, "register.xlsx")
                run("registerexport", STORE=store, YEAR=2023, OUTPUT=book)
                workbooks.append(("registerexport", book))
            backup = os.path.join(out, "store_backup.gpkg")
            run("storeexport", STORE=store, OUTPUT=backup)
            run("storeimport", INPUT=backup, STORE=os.path.join(out, "store_restored.gpkg"))
        sheets = os.path.join(out, "dossiers.xlsx")
        run("dossiers", INPUT=disposal, FILTER="\"grade\" = 'D'",
            ENTERPRISES=ents, CLUSTERS=clusters, OUTPUT_FOLDER=os.path.join(out, "dossiers"), XLSX=sheets)
        workbooks.append(("dossiers", sheets))
    finally:
        remove_translator()
        if keep is not None:
            registry.removeProvider(keep)
    return {"layers": layers, "workbooks": workbooks, "texts": texts, "out": out}


def test_every_algorithm_ran(pipeline, qgis_processing):
    """Every algorithm of the provider is in the pipeline above (a new one must be added there)."""
    from landeval_plugin.processing.provider import LandEvalProvider

    provider = LandEvalProvider()
    provider.loadAlgorithms()
    ran = ({a for a, _ in pipeline["layers"]} | {a for a, _ in pipeline["workbooks"]}
           | {a for a, _w, _t in pipeline["texts"]})
    assert {a.name() for a in provider.algorithms()} <= ran
    assert {a for a, _ in pipeline["layers"]} >= {"buildbaselayer", "joinenterprises", "grade", "review", "clusters",
                                                   "disposal"}


def test_every_output_field_has_a_chinese_alias(pipeline):
    """Read back from the file as QGIS opens it (the default style in the GeoPackage)."""
    from qgis.core import QgsVectorLayer

    bad = []
    counted = 0
    for alg, uri in pipeline["layers"]:
        layer = QgsVectorLayer(uri, "check", "ogr")
        assert layer.isValid(), uri
        assert layer.featureCount() > 0, uri
        for i, field in enumerate(layer.fields()):
            counted += 1
            alias = layer.attributeAlias(i)
            # every field here is LandEval's or a source field the schema names: never the fallback
            if not alias or not CJK.search(alias) or alias.startswith("源字段"):
                bad.append("{} {}: {} -> {!r}".format(alg, os.path.basename(uri), field.name(), alias))
        # the attribute table's header and the identify panel read the same
        i = layer.fields().indexOf("parcel_code")
        if i >= 0:
            assert layer.attributeDisplayName(i) == "宗地代码"
    assert counted > 500
    assert not bad, "\n".join(bad[:60])


def test_chinese_aliases_of_known_fields(pipeline):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(dict(pipeline["layers"])["disposal"], "d", "ogr")
    shown = {f.name(): layer.attributeDisplayName(i) for i, f in enumerate(layer.fields())}
    assert shown["tax_per_mu"].startswith("亩均税收")
    assert shown["tax_10k_y1"].endswith("(上年)")
    assert shown["disposal_reason"] and CJK.search(shown["disposal_reason"])
    assert shown["fid"] == "要素号"
    clusters = QgsVectorLayer([u for a, u in pipeline["layers"] if a == "clusters"][0], "c", "ogr")
    assert clusters.attributeDisplayName(clusters.fields().indexOf("parcel_count")) == "地块数"


def test_workbooks_have_chinese_headers_and_no_python_values(pipeline):
    from openpyxl import load_workbook

    problems = []
    for alg, path in pipeline["workbooks"]:
        assert os.path.exists(path), path
        book = load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            header = None
            for row in sheet.iter_rows(values_only=True):
                cells = [c for c in row if c is not None and str(c).strip()]
                if not cells:
                    continue
                if header is None and len(cells) >= 3 and all(isinstance(c, str) for c in cells):
                    header = cells
                    english = [c for c in cells if not CJK.search(c) and re.search(r"[A-Za-z]{3,}", c)]
                    if english:
                        problems.append("{} {} [{}] header: {}".format(alg, os.path.basename(path), sheet.title,
                                                                       english))
                for c in cells:
                    if isinstance(c, bool):
                        problems.append("{} {} [{}]: a bool cell {}".format(alg, os.path.basename(path),
                                                                            sheet.title, c))
                    elif isinstance(c, str) and english_words(c):
                        problems.append("{} {} [{}]: {!r}".format(alg, os.path.basename(path), sheet.title, c[:120]))
        book.close()
    assert not problems, "\n".join(problems[:60])


def test_reports_logs_and_summaries_have_no_english_words(pipeline):
    problems = []
    for alg, what, text in pipeline["texts"]:
        if what == "log" and not CJK.search(str(text)):
            problems.append("{} log line without Chinese: {!r}".format(alg, str(text)[:160]))
            continue
        words = english_words(text)
        if words:
            problems.append("{} {}: {} in {!r}".format(alg, what, sorted(set(words)), str(text)[:200]))
    assert not problems, "\n".join(problems[:80])


def test_report_json_values_are_chinese(pipeline):
    """The disposal REPORT and SUMMARY name the paths in Chinese ("无需处置", not None)."""
    texts = {(a, w): t for a, w, t in pipeline["texts"]}
    counts = json.loads(texts[("disposal", "SUMMARY")])
    assert "None" not in counts and "" not in counts
    assert all(CJK.search(k) for k in counts)


def test_postgis_fallback_reasons_are_chinese():
    """Why a step falls back from PostGIS to the feature path reaches the planner in Chinese."""
    from landeval_plugin.core.grading.condition import Condition
    from landeval_plugin.core.grading.postgis import SqlCondition, Untranslatable, raw
    from landeval_plugin.i18n import install_translator, remove_translator

    def column(name):
        return raw('"{}"'.format(name)), "text"

    assert install_translator("zh-Hans")
    try:
        with pytest.raises(Untranslatable, match="变量 @year"):
            SqlCondition(column, {}).expr(Condition("@year > 2020").root)
        with pytest.raises(Untranslatable, match="对非数值做算术运算"):
            SqlCondition(column, {}).expr(Condition("land_use + 1 > 2").root)
    finally:
        remove_translator()
