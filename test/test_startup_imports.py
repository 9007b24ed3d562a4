"""What the plugin imports at start-up (issue 17: the plugin adds ≤ 0.3 s to `qgis_process`; import work
is deferred until an algorithm runs). `make bench BENCH_ARGS="--only startup"` measures the time; this
test lists the modules, so that a module-level import that pulls one more core module into every
`qgis_process` start (as `from ...core.clusters import fast` in the clusters algorithm did: 66 → 67)
fails here instead of only showing up as a number in a bench."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# what `qgis_process list` does with the plugin (qgis.utils: import, classFactory, initProcessing),
# in a fresh interpreter so that nothing the test session imported is counted
PROBE = r"""
import sys
sys.path.insert(0, sys.argv[1])
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
sys.path.append("/usr/share/qgis/python/plugins")
from processing.core.Processing import Processing
Processing.initialize()
before = set(sys.modules)
import landeval_plugin
landeval_plugin.classFactory(None).initProcessing()
print("MODULES", " ".join(sorted(m for m in set(sys.modules) - before if m.startswith("landeval_plugin"))))
"""

# the core modules the provider and its algorithms may load at start-up (2026-11-30: 40 of them,
# beside the package itself). A module missing from a run is fine (less work at start-up); one more
# is not: import it inside the function that needs it, or add it here if every start really needs it.
CORE_AT_STARTUP = {
    "aliases", "basemap", "basemap.landuse", "clusters", "clusters.cluster", "disposal", "disposal.disposal",
    "dossiers", "dossiers.errors", "files", "fonts", "formats", "formats.csv_text", "gpkg_rtree", "grading",
    "grading.condition", "grading.gpkg", "grading.grade", "grading.postgis", "grading.standard", "indicators",
    "interrupt", "limits", "meeting", "meeting.lists", "meeting.map_export", "meeting.statistics", "meeting.text",
    "paths", "review", "sample", "sample.sample_next_year", "schema", "store", "store.base", "store.errors",
    "store.schema", "units", "values", "vocabulary",
}


def startup_modules():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE, ROOT], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=300)
    lines = [line for line in out.stdout.splitlines() if line.startswith("MODULES ")]
    assert out.returncode == 0 and lines, out.stderr[-3000:]
    return lines[-1].split()[1:]


def test_qgis_process_start_loads_no_core_module_beyond_the_known_ones():
    modules = startup_modules()
    # the probe saw the plugin start: the provider and every algorithm module were imported
    assert "landeval_plugin.processing.provider" in modules
    assert "landeval_plugin.processing.algorithms.clusters" in modules
    core = sorted(m[len("landeval_plugin.core."):] for m in modules if m.startswith("landeval_plugin.core."))
    assert "landeval_plugin.core" in modules and core, modules
    extra = sorted(set(core) - CORE_AT_STARTUP)
    assert extra == [], "core modules now loaded at every qgis_process start: {} (import them where they are " \
                        "used)".format(", ".join(extra))
    # the cluster step's quick neighbour search is loaded by a clusters run, not by the start
    assert "clusters.fast" not in core
