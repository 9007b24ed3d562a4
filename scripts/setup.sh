#!/usr/bin/env bash
# Installs what LandEval needs on Debian/Ubuntu, idempotently: QGIS 3.22+ from the
# distribution, CJK fonts, Xvfb, poppler, Qt translation tools (lrelease) and Qt's own Chinese
# translations (the standard buttons of dialogs), PostGIS for the database
# tests, and a venv (made from the system python with --system-site-packages, so PyQGIS,
# GDAL, pandas and openpyxl from Debian are visible) for pytest-qgis.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="qgis python3-qgis qgis-providers fonts-noto-cjk xvfb xauth poppler-utils \
python3-gdal python3-pandas python3-openpyxl python3-yaml python3-venv python3-pip qttools5-dev-tools \
pyqt5-dev-tools qttranslations5-l10n postgresql postgis python3-psycopg2 zip rsync"

# the PostGIS extension package carries the PostgreSQL major version in its name
# (postgresql-15-postgis-3 on bookworm, -14- on jammy, ...): pick the one apt knows
if command -v apt-cache >/dev/null 2>&1; then
  pg_postgis=$(apt-cache search --names-only '^postgresql-[0-9]+-postgis-3$' 2>/dev/null | awk '{print $1}' | sort -V | tail -1 || true)
  if [ -n "${pg_postgis:-}" ]; then APT_PACKAGES="$APT_PACKAGES $pg_postgis"; fi
fi

missing=""
for p in $APT_PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: need root or sudo to install:$missing" >&2
      exit 1
    fi
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  # recommends would pull in a desktop's worth of packages
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# QGIS must be 3.22 or newer (the plugin's qgisMinimumVersion)
qgis_version=$(/usr/bin/python3 -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION_INT)' 2>/dev/null || echo 0)
if [ "$qgis_version" -lt 32200 ]; then
  echo "setup: QGIS 3.22 or newer is needed (found ${qgis_version}); see README.md" >&2
  exit 1
fi

VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV from /usr/bin/python3 with system site packages"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
if [ ! -f "$VENV/.requirements-installed" ] || [ requirements-dev.txt -nt "$VENV/.requirements-installed" ] \
   || [ scripts/setup.sh -nt "$VENV/.requirements-installed" ]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  touch "$VENV/.requirements-installed"
fi
