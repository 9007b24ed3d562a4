# LandEval: `make demo` and `make test` set everything up on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
PLUGIN := landeval_plugin
BUILD := build/$(PLUGIN)
VENV := .venv
PY := $(VENV)/bin/python
# the Debian python that has PyQt5 (a pyenv python3 earlier in PATH has not)
SYSTEM_PY ?= /usr/bin/python3
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
ZIP := dist/$(PLUGIN)-$(VERSION).zip
# Debian's qgis_process wrapper passes --noversioncheck, which 3.22 rejects: call the binary
QGIS_PROCESS ?= $(shell command -v qgis_process.bin || command -v qgis_process)
export QGIS_PROCESS
QGIS_PROFILE_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default/python/plugins
# folders too: deleting a file changes its folder's mtime, so the build drops it
SOURCES := $(shell find $(PLUGIN) resources i18n docs/guide -not -path '*/__pycache__*') metadata.txt
# pytest runs headless against the source tree; QGIS finds the built plugin for smoke tests
TEST_ENV := QT_QPA_PLATFORM=offscreen QGIS_PLUGINPATH=$(CURDIR)/build PYTHONPATH=$(CURDIR) \
	PYTHONDONTWRITEBYTECODE=1 LANDEVAL_BUILD=$(CURDIR)/build

.PHONY: setup build package deploy demo test test-fast test-all lint bench clean i18n-update i18n-missing screenshot

setup: $(VENV)/.requirements-installed

$(VENV)/.requirements-installed: scripts/setup.sh requirements-dev.txt
	bash scripts/setup.sh

build: setup $(BUILD)/metadata.txt

$(BUILD)/metadata.txt: $(SOURCES) scripts/i18n.py
	rm -rf $(BUILD)
	mkdir -p $(BUILD)
	rsync -a --exclude __pycache__ --exclude '*.pyc' $(PLUGIN)/ $(BUILD)/
	rsync -a resources $(BUILD)/
	$(PY) scripts/i18n.py compile $(BUILD)/i18n
	mkdir -p $(BUILD)/docs && rsync -a docs/guide $(BUILD)/docs/
	cp README.md $(BUILD)/ 2>/dev/null || true
	cp metadata.txt $(BUILD)/metadata.txt
	@echo "built $(BUILD) (QGIS_PLUGINPATH=$(CURDIR)/build)"

# one top-level folder landeval_plugin/ with metadata.txt, as "Install from ZIP" expects;
# QGIS may have left __pycache__ in build/ (smoke tests load the plugin from there)
package: build
	mkdir -p dist
	rm -f $(ZIP)
	cd build && zip -qr ../$(ZIP) $(PLUGIN) -x '*/__pycache__/*' '*.pyc'
	@echo "wrote $(ZIP) (QGIS: Plugins > Manage and Install Plugins > Install from ZIP)"

# into the default profile of the current user, then enabled for QGIS and qgis_process
deploy: package
	mkdir -p "$(QGIS_PROFILE_DIR)"
	rm -rf "$(QGIS_PROFILE_DIR)/$(PLUGIN)"
	$(PY) -m zipfile -e $(ZIP) "$(QGIS_PROFILE_DIR)"
	@echo "installed into $(QGIS_PROFILE_DIR)/$(PLUGIN)"
	@out=$$(QGIS_PLUGINPATH="$(QGIS_PROFILE_DIR)" QT_QPA_PLATFORM=offscreen $(QGIS_PROCESS) plugins enable $(PLUGIN) 2>&1); \
	if [ $$? -eq 0 ] || echo "$$out" | grep -q "already enabled"; then \
	  echo "enabled for QGIS and qgis_process (default profile); restart QGIS"; \
	else echo "enable it in QGIS: Plugins > Manage and Install Plugins > Installed"; fi

demo: build
	$(TEST_ENV) $(PY) scripts/demo.py

# `make test QGIS=3.40` (Debian trixie) or `QGIS=3.44` (Debian sid): the same suite inside a chroot
# (scripts/qgis_versions.sh builds it once per machine, as root); without QGIS, the host's QGIS
ifeq ($(strip $(QGIS)),)
test: build
	@if [ -f scripts/start_postgis.sh ]; then bash scripts/start_postgis.sh; fi
	$(TEST_ENV) $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)  # no paths: pytest.ini testpaths (test/)
else
test:
	bash scripts/qgis_versions.sh test $(QGIS) $(PYTEST_ARGS)
endif

# for a developer already set up (one `make test` made .venv): pytest at once, without the apt/venv check
# of `setup` or starting PostgreSQL (the PostGIS test runs if a server is up); build/ is only refreshed
# (rsync + i18n compile) when a source changed, because the smoke tests load the built plugin
test-fast: $(VENV)/bin/python $(BUILD)/metadata.txt
	$(TEST_ENV) $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

$(VENV)/bin/python:
	@echo "make test-fast: no $(VENV) yet; run 'make test' once (it installs what is missing)" >&2
	@exit 1

# lint, then the suite on the host's QGIS, 3.40 and 3.44 (what CI runs)
test-all:
	bash .ci/run

# static checks, one line each (more can be added): ruff with pyproject.toml's rules, then the Qt 6 check;
# setup installs ruff into the venv and the PyQt5 the Qt check reads enums from
lint: setup
	$(VENV)/bin/ruff check .
	$(SYSTEM_PY) scripts/check_qt6.py

bench: build
	$(TEST_ENV) $(PY) test/bench/run.py $(BENCH_ARGS)

screenshot: build
	$(PY) scripts/screenshot.py

# tr() strings -> i18n/landeval_zh_CN.ts (translations kept, leftover i18n/zh_CN/*.tsv folded in)
i18n-update: setup
	$(PY) scripts/i18n.py update

i18n-missing:
	$(PY) scripts/i18n.py missing

clean:
	rm -rf build dist out .pytest_cache
