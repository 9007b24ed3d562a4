"""qgis_process for the tests, with the command line every supported QGIS accepts.

What differs (Debian's packages: 3.22 bookworm, 3.40.6 trixie, 3.44.15 sid), seen on 2026-11-30:
* /usr/bin/qgis_process is a wrapper that puts $QGIS_OPTS from /etc/default/qgis
  (``--noversioncheck``) before the command. 3.22 rejects it for every command, 3.40 and 3.44 for
  ``list``/``run`` too ("Command --noversioncheck not known!"): run qgis_process.bin, the binary,
  and put no option before the command but ``--json``.
* ``--skip-loading-plugins`` exists from 3.24 on (3.22: unknown option): ``skip_plugins_flag()``.
* ``plugins enable NAME`` exits 1 with "Plugin is already enabled!" on all three when it is:
  ``enable()`` counts that as enabled.
* 3.40+ print "QStandardPaths: XDG_RUNTIME_DIR not set" on stderr without one: ``env()`` sets a
  private one, so stdout/stderr hold only qgis_process's own output.
"""
import os
import re
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("LANDEVAL_BUILD") or os.path.join(ROOT, "build")


def exe():
    """The qgis_process binary (never Debian's wrapper, see above)."""
    found = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    assert found, "qgis_process not installed (scripts/setup.sh installs qgis)"
    return found


def env(**extra):
    """Headless environment with the built plugin on QGIS_PLUGINPATH and a private runtime dir."""
    runtime = os.path.join(tempfile.gettempdir(), "landeval-runtime-{}".format(os.getuid()))
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    out = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_PLUGINPATH=BUILD, XDG_RUNTIME_DIR=runtime)
    out.update(extra)
    return out


def run(*args, json=False, environ=None, timeout=300, merge=False):
    """qgis_process [--json] ARGS...; a CompletedProcess with text output."""
    cmd = [exe()] + (["--json"] if json else []) + list(args)
    return subprocess.run(cmd, env=environ or env(), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merge else subprocess.PIPE, text=True, timeout=timeout)


def version(environ=None):
    """(major, minor) of qgis_process, from ``--version``'s first line (``QGIS 3.40.6-Bratislava ...``)."""
    proc = run("--version", environ=environ, merge=True, timeout=120)
    match = re.search(r"QGIS (\d+)\.(\d+)", proc.stdout)
    assert match, proc.stdout[-2000:]
    return int(match.group(1)), int(match.group(2))


def skip_plugins_flag(environ=None):
    """["--skip-loading-plugins"] where qgis_process knows it (3.24+), else []."""
    return ["--skip-loading-plugins"] if version(environ) >= (3, 24) else []


def enable(plugin="landeval_plugin", environ=None):
    """``plugins enable``; (ok, output): ok also when it was enabled already (exit 1 on all versions)."""
    proc = run("plugins", "enable", plugin, environ=environ, merge=True, timeout=180)
    return proc.returncode == 0 or "already enabled" in proc.stdout, proc.stdout
