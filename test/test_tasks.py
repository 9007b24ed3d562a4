"""The pages' background runs (landeval_plugin/tasks/): one helper runs a LandEval algorithm in
QGIS's task manager; the worker thread reads private copies of the input layers made on the main
thread, never a project layer; Python's cyclic garbage collector never runs in the worker (on
Python 3.13 it collected cycles holding main-thread QGIS objects there, and QGIS 3.40/3.44
crashed in the main thread's event loop: issue 18); the algorithm's own reason on a failure."""
import gc
import threading
import time

import pytest

PROVIDER_ID = "landevaltasks"


def wait(pred, timeout=60):
    from qgis.core import QgsApplication

    end = time.time() + timeout
    while time.time() < end:
        QgsApplication.processEvents()
        if pred():
            return True
        time.sleep(0.01)
    return False


def make_algorithm_class():
    from qgis.core import (
        QgsProcessing,
        QgsProcessingException,
        QgsProcessingOutputString,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterFile,
        QgsProcessingParameterString,
    )

    from landeval_plugin import compat
    from landeval_plugin.processing.base import LandEvalAlgorithm

    class Probe(LandEvalAlgorithm):
        """Reads INPUT in the worker and says what it saw; MODE garbage: makes cyclic garbage
        (collections would be due many times); refuse: prepareAlgorithm refuses; slow: runs
        until cancelled."""
        NAME = "probe"
        seen = {}

        def displayName(self):
            return "probe"

        def initAlgorithm(self, config=None):
            self.addParameter(QgsProcessingParameterFeatureSource(
                "INPUT", "input", [QgsProcessing.TypeVectorAnyGeometry]))
            self.addParameter(QgsProcessingParameterString("MODE", "mode", defaultValue="", optional=True))
            self.addParameter(QgsProcessingParameterFile("TABLE", "table", optional=True))
            self.addOutput(QgsProcessingOutputString("DONE", "done"))

        def prepareAlgorithm(self, parameters, context, feedback):
            if self.parameterAsString(parameters, "MODE", context) == "refuse":
                raise QgsProcessingException("图层 地块 没有字段 宗地代码")
            return super().prepareAlgorithm(parameters, context, feedback)

        def processAlgorithm(self, parameters, context, feedback):
            mode = self.parameterAsString(parameters, "MODE", context)
            seen = Probe.seen
            seen["main_thread"] = threading.current_thread() is threading.main_thread()
            layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
            source = self.parameterAsSource(parameters, "INPUT", context)
            seen["layer_id"] = layer.id()
            seen["layer_name"] = layer.name()
            seen["features"] = {f.id(): f["name"] for f in source.getFeatures()}
            seen["rows"] = sorted(f.attributes() for f in source.getFeatures())
            seen["virtual"] = compat.has_expression_fields(layer)
            seen["inputs"] = self.input_values(parameters, context, ["INPUT"])
            seen["table"] = self.input_values(parameters, context, ["TABLE"])
            seen["project"] = context.project()
            if mode == "garbage":
                for _ in range(200000):
                    cycle = []
                    cycle.append(cycle)
            if mode == "slow":
                while not feedback.isCanceled():
                    time.sleep(0.01)
                return {}
            if mode == "fail":
                raise QgsProcessingException("第 3 行：统一社会信用代码无效")
            feedback.setProgress(100)
            return {"DONE": "yes"}

    return Probe


@pytest.fixture(scope="module")
def probe_provider(qgis_app):
    from qgis.core import QgsApplication, QgsProcessingProvider

    probe = make_algorithm_class()

    class Provider(QgsProcessingProvider):
        def id(self):
            return PROVIDER_ID

        def name(self):
            return "LandEval task tests"

        def loadAlgorithms(self):
            self.addAlgorithm(probe())

    provider = Provider()
    QgsApplication.processingRegistry().addProvider(provider)
    yield probe
    QgsApplication.processingRegistry().removeProvider(provider)


@pytest.fixture
def gpkg_layer(qgis_new_project, tmp_path):
    """A GeoPackage layer with 3 features in the project (what the pages read)."""
    from qgis.core import (
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsGeometry,
        QgsProject,
        QgsVectorFileWriter,
        QgsVectorLayer,
    )

    memory = QgsVectorLayer("Point?crs=EPSG:4549&field=name:string", "m", "memory")
    feats = []
    for n, name in enumerate(("甲", "乙", "丙")):
        f = QgsFeature(memory.fields())
        f.setGeometry(QgsGeometry.fromWkt("POINT({} 0)".format(n)))
        f["name"] = name
        feats.append(f)
    memory.dataProvider().addFeatures(feats)
    path = str(tmp_path / "地块.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.layerName = "parcels"
    assert QgsVectorFileWriter.writeAsVectorFormatV2(memory, path, QgsCoordinateTransformContext(), options)[0] == 0
    layer = QgsVectorLayer(path + "|layername=parcels", "已评价地块", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    yield layer, path
    QgsProject.instance().removeAllMapLayers()


def run(params, **kwargs):
    from landeval_plugin.tasks.algorithm_task import AlgorithmTask

    outcome = {}

    def done(ok, results):
        outcome.update(ok=ok, results=results)

    task = AlgorithmTask(PROVIDER_ID + ":probe", params, done, **kwargs)
    task.start()
    assert wait(lambda: "ok" in outcome), "the task did not end"
    return task, outcome


def test_the_worker_reads_a_private_copy_of_the_project_layer(probe_provider, gpkg_layer):
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject

    layer, path = gpkg_layer
    ids = {f.id(): f["name"] for f in layer.getFeatures()}
    probe_provider.seen.clear()
    task, outcome = run({"INPUT": layer})
    seen = probe_provider.seen
    assert outcome["ok"] and outcome["results"]["DONE"] == "yes"
    assert seen["main_thread"] is False                      # it did run in a worker
    assert seen["layer_id"] != layer.id() and seen["layer_id"] not in QgsProject.instance().mapLayers()
    assert seen["layer_name"] == "已评价地块"                   # messages still name the planner's layer
    assert seen["features"] == ids                           # a clone of the same file: same features and ids
    # the output guard got the file behind the layer as text, read on the main thread
    assert seen["inputs"] == [("INPUT", layer.source())] and isinstance(seen["inputs"][0][1], str)
    assert task.context.temporaryLayerStore().count() == 0   # the copy is gone after the run
    # the selection when asked for
    fid = sorted(ids)[1]
    layer.selectByIds([fid])
    probe_provider.seen.clear()
    run({"INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), True)})
    assert list(probe_provider.seen["features"].values()) == [ids[fid]]


def test_the_worker_never_looks_at_the_project(probe_provider, gpkg_layer, monkeypatch):
    """Issue 18: QgsProcessingUtils.mapLayerFromString() calls QgsProject::layerStore(), which
    resets the project's cached expression scope; from the worker it did so while the main thread
    (the map canvas's refresh) was building that scope, and QGIS 3.40/3.44 crashed in
    QgsExpressionContextScope::addVariable. Every lookup by text (a layer's path, a file parameter)
    is made on the main thread before the run, and the context the worker gets has no project."""
    from qgis.core import QgsProcessingUtils, QgsProject

    layer, path = gpkg_layer
    QgsProject.instance().removeMapLayer(layer.id())  # INPUT: a file no project layer reads
    lookups = []
    original = QgsProcessingUtils.mapLayerFromString

    def recording(*args):
        lookups.append(threading.current_thread() is threading.main_thread())
        return original(*args)

    monkeypatch.setattr(QgsProcessingUtils, "mapLayerFromString", recording)
    probe_provider.seen.clear()
    table = path.replace(".gpkg", ".xlsx")
    task, outcome = run({"INPUT": path + "|layername=parcels", "TABLE": table})
    seen = probe_provider.seen
    assert outcome["ok"] and outcome["results"]["DONE"] == "yes"
    assert seen["main_thread"] is False
    assert sorted(seen["features"].values()) == ["丙", "乙", "甲"]   # the file, opened on the main thread
    assert lookups and all(lookups)                                # every lookup on the main thread
    assert seen["project"] is None                                 # the worker's context: no project
    assert seen["table"] == [("TABLE", table)]                     # noted before the run, as given
    assert task.context.project() is QgsProject.instance()         # given back when the run is over
    assert task.context.temporaryLayerStore().count() == 0


def test_virtual_fields_are_computed_on_the_main_thread(probe_provider, gpkg_layer):
    """A worker iterating a layer's virtual fields builds the project's expression scope there
    (QgsProject.instance()), racing the main thread (issue 18): the worker gets them as values."""
    from qgis.core import QgsField
    from qgis.PyQt.QtCore import QVariant

    from landeval_plugin import compat

    layer, _path = gpkg_layer
    layer.addExpressionField("\"name\" || '号'", QgsField("label", QVariant.Type.String))
    assert compat.has_expression_fields(layer)
    probe_provider.seen.clear()
    _task, outcome = run({"INPUT": layer})
    seen = probe_provider.seen
    assert outcome["ok"] and seen["main_thread"] is False
    assert seen["virtual"] is False                                     # plain values in the worker's copy
    # (fid, name, label): the label computed from the name
    assert sorted(row[-2:] for row in seen["rows"]) == [["丙", "丙号"], ["乙", "乙号"], ["甲", "甲号"]]
    assert compat.has_expression_fields(layer)                          # the planner's layer keeps its field


def test_the_worker_reads_the_uncommitted_edits_and_leaves_them_alone(probe_provider, qgis_new_project):
    from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer

    layer = QgsVectorLayer("Point?crs=EPSG:4549&field=name:string", "已评价地块", "memory")
    feats = []
    for n, name in enumerate(("甲", "乙", "丙")):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromWkt("POINT({} 0)".format(n)))
        f["name"] = name
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    try:
        fid = sorted(f.id() for f in layer.getFeatures())[1]
        name_index = layer.fields().lookupField("name")
        layer.startEditing()
        assert layer.changeAttributeValue(fid, name_index, "乙（已改）")
        probe_provider.seen.clear()
        task, outcome = run({"INPUT": layer})
        seen = probe_provider.seen
        assert outcome["ok"] and seen["main_thread"] is False and seen["layer_id"] != layer.id()
        assert sorted(seen["features"].values()) == sorted(["甲", "乙（已改）", "丙"])   # what the planner sees
        assert seen["inputs"] == []                                  # a memory layer is no file
        assert layer.isModified() and layer.editBuffer().changedAttributeValues()[fid][name_index] == "乙（已改）"
        layer.rollBack()
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_no_garbage_collection_in_the_worker_and_earlier_cycles_go_on_the_main_thread(probe_provider, gpkg_layer):
    from qgis.core import QgsProcessingContext, QgsProject, QgsVectorLayer

    from landeval_plugin.tasks import threads

    layer, _ = gpkg_layer
    passes = []

    def watch(phase, info):
        if phase == "start":
            passes.append(threading.current_thread() is threading.main_thread())

    finalised = []

    class Leftover:
        """A cycle holding a QgsProcessingContext and its temporary layer, as a page left behind."""
        def __init__(self):
            self.me = self
            self.context = QgsProcessingContext()
            self.context.setProject(QgsProject.instance())
            self.context.temporaryLayerStore().addMapLayer(QgsVectorLayer("Point?crs=EPSG:4326", "tmp", "memory"))

        def __del__(self):
            finalised.append(threading.current_thread() is threading.main_thread())

    was_enabled = gc.isenabled()
    gc.enable()
    gc.collect()
    gc.callbacks.append(watch)
    try:
        Leftover()
        probe_provider.seen.clear()
        task, outcome = run({"INPUT": layer, "MODE": "garbage"})
        assert outcome["ok"] and probe_provider.seen["main_thread"] is False
        # 200,000 cycles made in the worker: without the hold, Python collects there (in the worker)
        assert passes and all(passes), "collections in a worker thread: {}".format(passes.count(False))
        assert finalised == [True]             # the earlier cycle was freed on the main thread
        assert gc.isenabled() and threads.held() == 0
    finally:
        gc.callbacks.remove(watch)
        if not was_enabled:
            gc.disable()


def test_a_refusal_before_the_run_is_a_failure_with_its_reason(probe_provider, gpkg_layer):
    from qgis.PyQt.QtWidgets import QProgressBar, QPushButton

    layer, _ = gpkg_layer
    button, bar = QPushButton(), QProgressBar()
    task, outcome = run({"INPUT": layer, "MODE": "refuse"}, progress=bar, cancel_button=button)
    assert outcome["ok"] is False
    assert task.feedback.reason() == "图层 地块 没有字段 宗地代码" and not task.feedback.was_cancelled()
    assert not button.isEnabled()

    task, outcome = run({"INPUT": layer, "MODE": "fail"})
    assert outcome["ok"] is False and task.reason() == "第 3 行：统一社会信用代码无效"
    assert not task.feedback.was_cancelled()


def test_cancel_stops_the_run_and_says_cancelled(probe_provider, gpkg_layer):
    from qgis.PyQt.QtWidgets import QProgressBar, QPushButton

    from landeval_plugin.tasks.algorithm_task import AlgorithmTask

    layer, _ = gpkg_layer
    outcome = {}
    button, bar = QPushButton(), QProgressBar()
    task = AlgorithmTask(PROVIDER_ID + ":probe", {"INPUT": layer, "MODE": "slow"},
                         lambda ok, results: outcome.update(ok=ok), progress=bar, cancel_button=button)
    assert task.start() and button.isEnabled()
    time.sleep(0.2)
    task.cancel()
    assert wait(lambda: "ok" in outcome)
    assert outcome["ok"] is False and task.feedback.was_cancelled() and not button.isEnabled()
