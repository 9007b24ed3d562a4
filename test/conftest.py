"""Shared fixtures: QGIS with Processing and the landeval provider, temp outputs, shared data."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
# the plugin package chooses openpyxl's writer before any test module imports openpyxl (compat.py)
os.environ.setdefault("OPENPYXL_LXML", "False")

def _shared_data_dir():
    """../shared/data beside the checkout; from a git worktree, beside the main checkout."""
    if os.environ.get("LANDEVAL_SHARED_DATA"):
        return os.environ["LANDEVAL_SHARED_DATA"]
    candidates = [os.path.join(os.path.dirname(ROOT), "shared", "data")]
    common = os.path.join(ROOT, ".git")
    if os.path.isfile(common):  # a worktree: ".git" names the main repository's git dir
        with open(common, encoding="utf-8") as fh:
            gitdir = fh.read().split("gitdir:", 1)[-1].strip()
        main_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(gitdir))))
        candidates.append(os.path.join(os.path.dirname(main_root), "shared", "data"))
    for path in candidates:
        if os.path.isdir(path):
            return path
    return candidates[0]


SHARED_DATA = _shared_data_dir()


_PROVIDERS = []  # the registry does not keep a Python provider alive: we do


@pytest.fixture(scope="session", autouse=True)
def _garbage_collected_before_qgis_exits(qgis_app):
    """Collect cyclic garbage while QGIS still runs: a test that patches a method onto an object
    (``builder._subtract = wrapper`` keeping the bound method) leaves a cycle holding layers and
    geometries; collected after exitQgis (pytest collects at unconfigure) it crashed the process with
    a segmentation fault after every test had passed. Torn down before qgis_app, which it requests."""
    yield
    import gc

    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def landeval_output_dir(tmp_path_factory):
    """The panel keeps the results of an unsaved project under QgsSettings landeval/output_dir
    (default ~/LandEval, core/workspace.py): tests keep them in a temporary folder instead."""
    from qgis.core import QgsSettings

    folder = str(tmp_path_factory.mktemp("landeval_output_dir"))
    settings = QgsSettings()
    before = settings.value("landeval/output_dir")
    settings.setValue("landeval/output_dir", folder)
    yield folder
    if before is None:
        QgsSettings().remove("landeval/output_dir")
    else:
        QgsSettings().setValue("landeval/output_dir", before)


@pytest.fixture
def landeval_provider(qgis_processing):
    """The landeval provider registered in the Processing registry. Looked up per test, because
    plugin load/unload tests remove (and so delete) the registered provider."""
    from qgis.core import QgsApplication

    from landeval_plugin.processing.provider import LandEvalProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("landeval")
    if provider is None:
        _PROVIDERS.append(LandEvalProvider())
        registry.addProvider(_PROVIDERS[-1])
        provider = _PROVIDERS[-1]
    return provider


@pytest.fixture
def run_alg(landeval_provider):
    """run_alg('landeval:grade', {...}) -> results dict; raises QgsProcessingException on error."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    def _run(alg_id, params, feedback=None, context=None):
        context = context or QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return processing.run(alg_id, params, feedback=feedback or QgsProcessingFeedback(), context=context)

    return _run


def shared_data(name):
    """Path of a file in ../shared/data; skips the test when the folder is absent (fresh clone)."""
    path = os.path.join(SHARED_DATA, name)
    if not os.path.exists(path):
        pytest.skip("../shared/data/{} not present (third-party test data lives beside the repo)".format(name))
    return path


@pytest.fixture
def shared_layer():
    """shared_layer('somerville_parcels.gpkg', 'parcels') -> QgsVectorLayer from ../shared/data."""
    from qgis.core import QgsVectorLayer

    def _open(name, layer):
        layer_obj = QgsVectorLayer("{}|layername={}".format(shared_data(name), layer), layer, "ogr")
        assert layer_obj.isValid(), name
        return layer_obj

    return _open


_TREE_VIEWS = []


@pytest.fixture(autouse=True)
def _iface_with_a_real_layer_tree_view():
    """QGIS 3.44's Processing hands iface.layerTreeView() to C++ when it loads results
    (QgsProcessingGuiUtils.addResultLayers), which refuses pytest-qgis's mock: the stub iface gets a
    real QgsLayerTreeView on the project's tree, as QGIS itself has. Only there: 3.22 and 3.40 just
    call the mock (and 3.40 crashed once with a real view under a page's reload test)."""
    import qgis.gui
    from qgis.utils import iface

    if iface is not None and hasattr(qgis.gui, "QgsProcessingGuiUtils") \
            and type(iface.layerTreeView()).__name__ in ("MagicMock", "Mock"):
        from qgis.core import QgsLayerTreeModel, QgsProject
        from qgis.gui import QgsLayerTreeView

        view = QgsLayerTreeView()
        view.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view))
        _TREE_VIEWS.append(view)
        iface.layerTreeView = lambda: view
    yield
