"""Smoke tests against real QGIS binaries (not the pytest-qgis stub): the desktop under Xvfb
loads the built plugin from QGIS_PLUGINPATH and shows its menu and dock; qgis_process lists
the provider's algorithms once the plugin is enabled."""
import json
import os
import shutil
import subprocess

import pytest
import qgis_cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("LANDEVAL_BUILD") or os.path.join(ROOT, "build")

CHECK_SCRIPT = r'''
import json, os
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QDockWidget
from qgis.core import QgsApplication
from qgis.utils import iface, plugins


def check():
    main = iface.mainWindow()
    dock = main.findChild(QDockWidget, "LandEvalDock")
    from qgis.PyQt.QtWidgets import QTabWidget
    tabs = dock.findChild(QTabWidget, "LandEvalTabs") if dock is not None else None
    provider = QgsApplication.processingRegistry().providerById("landeval")
    result = {
        "menus": [a.text() for a in main.menuBar().actions()],
        "plugin_loaded": "landeval_plugin" in plugins,
        "dock": dock is not None,
        "tabs": [tabs.tabText(i) for i in range(tabs.count())] if tabs is not None else [],
        "provider_algorithms": [a.id() for a in provider.algorithms()] if provider is not None else [],
        "toolbar_actions": [a.objectName() for a in main.findChildren(QAction_type(), "mActionLandEvalPanel")],
    }
    # the menu's "generate sample district" opens the Processing dialog (closed again by a timer)
    from qgis.PyQt.QtWidgets import QApplication
    seen = {}

    def close_dialog():
        from qgis.PyQt.QtWidgets import QDialog
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
        seen["title"] = dialogs[0].windowTitle() if dialogs else None
        for dialog in dialogs:
            dialog.reject()

    QTimer.singleShot(2000, close_dialog)
    main.findChild(QAction_type(), "mActionLandEvalSampleDistrict").trigger()
    result["sample_dialog"] = seen.get("title")
    # unload and load again the way the plugin manager does: nothing may be left twice
    from qgis.utils import loadPlugin, startPlugin, unloadPlugin
    unloadPlugin("landeval_plugin")
    result["after_unload"] = counts(main)
    loadPlugin("landeval_plugin")
    startPlugin("landeval_plugin")
    result["after_reload"] = counts(main)
    with open(os.environ["LANDEVAL_SMOKE_OUT"], "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False)
    QgsApplication.exit(0)


def counts(main):
    from qgis.PyQt.QtCore import QCoreApplication, QEvent
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    return {
        "menus": sum(1 for a in main.menuBar().actions() if a.text() == "LandEval / 产业用地评估"),
        "docks": len(main.findChildren(QDockWidget, "LandEvalDock")),
        "toolbars": len([t for t in main.findChildren(QToolBar_type()) if t.objectName() == "mLandEvalToolBar"]),
        "providers": sum(1 for p in QgsApplication.processingRegistry().providers() if p.id() == "landeval"),
    }


def QToolBar_type():
    from qgis.PyQt.QtWidgets import QToolBar
    return QToolBar


def QAction_type():
    from qgis.PyQt.QtWidgets import QAction
    return QAction


QTimer.singleShot(1500, check)
'''


def _env(**extra):
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)   # a real X server (Xvfb), not the offscreen platform
    # pytest-qgis points these at its own settings folder; the binaries get their own
    env.pop("QGIS_CUSTOM_CONFIG_PATH", None)
    env.pop("QGIS_OPTIONS_PATH", None)
    env["QGIS_PLUGINPATH"] = BUILD
    env.update(extra)
    return env


def _run_in_group(args, env, timeout):
    """Run a command in its own process group; on timeout kill the whole group (xvfb-run, Xvfb
    and QGIS), so that a hanging QGIS never outlives the test."""
    import signal

    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        output += "\n(killed after {} s)".format(timeout)
    return output


def _profile(tmp_path, locale=None):
    ini = tmp_path / "profiles" / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    text = "[PythonPlugins]\nlandeval_plugin=true\n\n[qgis]\ncheckVersion=false\nshowTips=false\n"
    if locale:
        text += "\n[locale]\nuserLocale={}\noverrideFlag=true\n".format(locale)
    ini.write_text(text, encoding="utf-8")
    return str(tmp_path / "profiles")


@pytest.fixture(scope="module")
def built_plugin():
    assert os.path.exists(os.path.join(BUILD, "landeval_plugin", "metadata.txt")), \
        "run `make build` first (make test does it)"
    for tool in ("qgis", "xvfb-run"):
        assert shutil.which(tool), tool + " not installed (scripts/setup.sh installs it)"
    qgis_cli.exe()
    return BUILD


def test_qgis_desktop_loads_menu_dock_and_provider(built_plugin, tmp_path):
    script = tmp_path / "check.py"
    script.write_text(CHECK_SCRIPT, encoding="utf-8")
    out = tmp_path / "result.json"
    output = _run_in_group(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", "qgis", "--nologo", "--noversioncheck",
         "--profiles-path", _profile(tmp_path, "zh-Hans"), "--code", str(script)],
        env=_env(LANDEVAL_SMOKE_OUT=str(out)), timeout=180)
    assert out.exists(), "QGIS did not run the check script:\n" + output[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["plugin_loaded"], result
    assert "LandEval / 产业用地评估" in result["menus"]
    assert result["menus"].index("LandEval / 产业用地评估") < len(result["menus"]) - 1   # before Help
    assert result["dock"]
    assert result["tabs"] == ["一张图", "数据", "分类评价", "连片", "处置", "研判", "一地一档"]   # zh-Hans locale
    assert "landeval:sampledistrict" in result["provider_algorithms"]
    assert result["toolbar_actions"] == ["mActionLandEvalPanel"]
    assert result["sample_dialog"] and "生成示例区县数据" in result["sample_dialog"]
    assert result["after_unload"] == {"menus": 0, "docks": 0, "toolbars": 0, "providers": 0}
    assert result["after_reload"] == {"menus": 1, "docks": 1, "toolbars": 1, "providers": 1}


def test_qgis_process_lists_the_provider_once_enabled(built_plugin, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    env = qgis_cli.env(QGIS_CUSTOM_CONFIG_PATH=str(config), QGIS_PLUGINPATH=built_plugin)
    before = qgis_cli.run("list", environ=env, merge=True, timeout=180)
    assert "landeval:sampledistrict" not in before.stdout   # a fresh profile: not enabled yet
    proc = qgis_cli.run("plugins", "enable", "landeval_plugin", environ=env, merge=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-2000:]   # a fresh profile: enabled now, on every version
    again = qgis_cli.enable(environ=env)   # exits 1 on every version: "Plugin is already enabled!"
    assert again[0] and "already enabled" in again[1], again[1][-2000:]
    listing = qgis_cli.run("list", environ=env, merge=True, timeout=180)
    assert listing.returncode == 0, listing.stdout[-2000:]
    assert "landeval:sampledistrict" in listing.stdout
    as_json = qgis_cli.run("list", json=True, environ=env, timeout=180)
    algorithms = json.loads(as_json.stdout[as_json.stdout.index("{"):])["providers"]["landeval"]["algorithms"]
    assert {"landeval:grade", "landeval:clusters", "landeval:dossiers"} <= set(algorithms)
    plugins = qgis_cli.run("plugins", environ=env, merge=True, timeout=180)
    assert "* landeval_plugin" in plugins.stdout
    assert "landeval_plugin=true" in (config / "profiles" / "default" / "QGIS" / "QGIS3.ini").read_text()


def test_qgis_process_version_is_the_python_qgis_version():
    """qgis_cli reads the version of qgis_process: the same QGIS as the Python bindings."""
    from qgis.core import Qgis

    major, minor = qgis_cli.version()
    assert Qgis.QGIS_VERSION_INT // 100 == major * 100 + minor
    assert qgis_cli.skip_plugins_flag() == (["--skip-loading-plugins"] if (major, minor) >= (3, 24) else [])
    if qgis_cli.skip_plugins_flag():   # where it exists, it lists Processing without Python providers
        proc = qgis_cli.run(*qgis_cli.skip_plugins_flag(), "list", merge=True, timeout=180)
        assert proc.returncode == 0 and "native:buffer" in proc.stdout, proc.stdout[-2000:]


def test_package_zip_installs_into_a_profile(built_plugin, tmp_path):
    """`make package` gives the zip "Install from ZIP" accepts: one top folder landeval_plugin/
    with metadata.txt; unpacked into a profile's plugin folder, qgis_process finds the provider."""
    import configparser
    import zipfile

    make = subprocess.run(["make", "-s", "package"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)
    assert make.returncode == 0, make.stdout[-2000:]
    meta = configparser.ConfigParser()
    meta.read(os.path.join(ROOT, "metadata.txt"), encoding="utf-8")
    version = meta["general"]["version"]
    path = os.path.join(ROOT, "dist", "landeval_plugin-{}.zip".format(version))
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert {n.split("/")[0] for n in names} == {"landeval_plugin"}
        for required in ("landeval_plugin/__init__.py", "landeval_plugin/metadata.txt",
                         "landeval_plugin/i18n/landeval_zh_CN.qm", "landeval_plugin/resources/icons/landeval.svg",
                         "landeval_plugin/processing/algorithms/sample_district.py"):
            assert required in names, required
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        # generator scripts (the dossier template builder) live in scripts/, never in the zip
        assert not [n for n in names if n.startswith("landeval_plugin/resources/") and n.endswith(".py")]
        assert "def classFactory" in zf.read("landeval_plugin/__init__.py").decode("utf-8")
        zipped_meta = zf.read("landeval_plugin/metadata.txt").decode("utf-8")
        assert "qgisMinimumVersion=3.22" in zipped_meta and "hasProcessingProvider=yes" in zipped_meta
        config = tmp_path / "config"
        plugins_dir = config / "profiles" / "default" / "python" / "plugins"
        plugins_dir.mkdir(parents=True)
        zf.extractall(plugins_dir)
    env = qgis_cli.env(QGIS_CUSTOM_CONFIG_PATH=str(config))
    env.pop("QGIS_PLUGINPATH")
    enable = qgis_cli.run("plugins", "enable", "landeval_plugin", environ=env, merge=True, timeout=180)
    assert enable.returncode == 0, enable.stdout[-2000:]
    listing = qgis_cli.run("list", environ=env, merge=True, timeout=180)
    assert "landeval:sampledistrict" in listing.stdout
