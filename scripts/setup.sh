#!/usr/bin/env bash
# Installs what LandEval needs on Debian/Ubuntu, idempotently: QGIS 3.22+ from the
# distribution, CJK fonts, Xvfb, poppler, Qt translation tools, and a venv (made from the
# system python with --system-site-packages, so PyQGIS is visible) for pytest-qgis.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="qgis python3-qgis qgis-providers fonts-noto-cjk xvfb xauth poppler-utils \
python3-pandas python3-openpyxl python3-yaml python3-venv python3-pip qttools5-dev-tools \
pyqt5-dev-tools postgresql postgis postgresql-15-postgis-3 zip rsync"

missing=""
for p in $APT_PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  # qgis-plugin-grass is not needed; recommends would pull in a desktop's worth of packages
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV from /usr/bin/python3 with system site packages"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
if [ ! -f "$VENV/.requirements-installed" ] || [ requirements-dev.txt -nt "$VENV/.requirements-installed" ]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  touch "$VENV/.requirements-installed"
fi
