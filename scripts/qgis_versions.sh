#!/usr/bin/env bash
# The test suite on other QGIS versions, in Debian chroots built with debootstrap --variant=minbase:
#   3.40 = Debian trixie, 3.44 = Debian sid (the host's own QGIS, 3.22 on bookworm, runs `make test`).
#
#   scripts/qgis_versions.sh build VERSION         build the chroot (first time) or refresh its packages
#   scripts/qgis_versions.sh test VERSION [ARGS]   build/refresh, clone the commit under test into the
#                                                  chroot and run `make test PYTEST_ARGS="ARGS"` there
#   scripts/qgis_versions.sh run VERSION CMD...    same clone, then CMD (bash -c) in it (screenshots, package)
#   scripts/qgis_versions.sh install-zip VERSION ZIP   unpack the zip of `make package` into a fresh profile
#                                                  there, `qgis_process plugins enable` it, list its algorithms
#   scripts/qgis_versions.sh delete VERSION        delete the chroot (refuses while anything is mounted in it)
# VERSION: 3.40 | trixie | 3.44 | sid.
#
# Chroots live outside the repository under $LANDEVAL_CHROOTS (default /var/cache/landeval/chroots/<suite>),
# are built once per machine and reused (apt-get update + upgrade at most every 12 h, or always with CI=true
# or LANDEVAL_REFRESH=1). The repository is cloned (never bind-mounted) into <chroot>/opt/landeval/src: the
# HEAD commit plus uncommitted changes and files not yet added (none in CI's clean clone). ../shared/data is copied to
# <chroot>/opt/landeval/shared/data. /proc, /dev, /sys are mounted only while a command runs, and always
# unmounted (trap) before the script exits. PostgreSQL runs inside the chroot on its own port, stopped after.
#
# LANDEVAL_EXTRA_PACKAGES: more Debian packages for a new chroot (a name apt does not know shows the
# exit-3 path, as a sid in transition would).
# Exit codes: the command's own (pytest's for `test`); 3 when the chroot cannot be built because apt cannot
# resolve the QGIS packages in that suite today (sid in transition) - .ci/run skips sid on that code only.
set -euo pipefail
export LC_ALL=C.UTF-8
HERE=$(cd "$(dirname "$0")/.." && pwd)
CHROOTS=${LANDEVAL_CHROOTS:-/var/cache/landeval/chroots}
MIRROR=${LANDEVAL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
UNRESOLVABLE=3

say() { echo "qgis_versions: $*"; }
die() { echo "qgis_versions: $*" >&2; exit 1; }

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 2 ] || usage
ACTION=$1
case $2 in
  3.40|trixie) SUITE=trixie; PG_PORT=5440 ;;
  3.44|sid) SUITE=sid; PG_PORT=5444 ;;
  *) die "unknown version '$2' (3.40 or 3.44)" ;;
esac
shift 2
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
ROOT=$CHROOTS/$SUITE
mkdir -p "$CHROOTS"

# Packages the suite needs (scripts/setup.sh's list for the host; names that differ between suites are
# picked from what apt knows: lrelease from qttools5-dev-tools or, without Qt 5 tools, qt6-l10n-tools).
PACKAGES="qgis python3-qgis qgis-providers fonts-noto-cjk xvfb xauth poppler-utils python3-gdal python3-pandas
python3-openpyxl python3-yaml python3-venv python3-pip qttranslations5-l10n zip rsync make git ca-certificates postgresql postgis
python3-psycopg2 procps"

mounted_under() { awk -v r="$1" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts; }

# ---- mounts: only while something runs, always undone --------------------------------------------------
MOUNTED=""
do_mount() {
  mount -t proc proc "$ROOT/proc"
  MOUNTED="$ROOT/proc"
  mount --rbind /dev "$ROOT/dev"; mount --make-rslave "$ROOT/dev"
  MOUNTED="$ROOT/dev $MOUNTED"
  mount --rbind /sys "$ROOT/sys"; mount --make-rslave "$ROOT/sys"
  MOUNTED="$ROOT/sys $MOUNTED"
}
in_chroot_pids() {
  local p root
  for p in /proc/[0-9]*; do
    root=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$root" = "$ROOT" ] && echo "${p#/proc/}"
  done
  return 0
}
cleanup() {
  local rc=$? pids m
  trap - EXIT INT TERM
  if [ -n "$MOUNTED" ]; then
    # PostgreSQL, Xvfb, QGIS left inside the chroot (by id: only processes whose root is this chroot)
    if [ -x "$ROOT/usr/bin/pg_lsclusters" ]; then
      chroot "$ROOT" /bin/sh -c 'pg_lsclusters -h 2>/dev/null | while read v c p s rest; do
        [ "$s" = online ] && pg_ctlcluster "$v" "$c" stop -m fast; done' >/dev/null 2>&1 || true
    fi
    pids=$(in_chroot_pids)
    if [ -n "$pids" ]; then kill $pids 2>/dev/null || true; sleep 1; pids=$(in_chroot_pids); fi
    if [ -n "$pids" ]; then kill -9 $pids 2>/dev/null || true; sleep 0.5; fi
    for m in $MOUNTED; do umount -R "$m" 2>/dev/null || umount -R -l "$m" || true; done
    MOUNTED=""
    if [ -n "$(mounted_under "$ROOT")" ]; then
      echo "qgis_versions: still mounted under $ROOT: $(mounted_under "$ROOT" | tr '\n' ' ')" >&2
      [ $rc -ne 0 ] || rc=1
    fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

safe_delete() {  # rm -rf --one-file-system, only when nothing is mounted under the directory
  local dir=$1
  [ -e "$dir" ] || return 0
  if [ -n "$(mounted_under "$dir")" ]; then
    die "not deleting $dir: still mounted: $(mounted_under "$dir" | tr '\n' ' ')"
  fi
  rm -rf --one-file-system "$dir"
}

in_chroot() {  # in_chroot CMD: bash -c CMD inside the chroot with a clean environment
  chroot "$ROOT" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    CI="${CI:-}" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
    LANDEVAL_SHARED_DATA=/opt/landeval/shared/data LANDEVAL_PG_PORT=$PG_PORT \
    /bin/bash -c "$1" </dev/null
}

host_config() {  # what apt and pip need inside: the host's CA bundle, DNS, apt settings like the host's
  mkdir -p "$ROOT/etc/ssl/certs" "$ROOT/etc/apt/apt.conf.d"
  cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/landeval-host-ca.crt"
  cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
  cat >"$ROOT/etc/apt/apt.conf.d/90landeval" <<'EOF'
// LandEval test chroot: like the host's settings
Acquire::Check-Valid-Until "false";
Acquire::Check-Date "false";
Acquire::IndexTargets::deb::DEP-11 { DefaultEnabled "false"; };
Acquire::IndexTargets::deb::DEP-11-icons { DefaultEnabled "false"; };
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Retries "3";
EOF
  echo "deb $MIRROR $SUITE main" >"$ROOT/etc/apt/sources.list"
  # pip: the host's CA bundle (kept apart from the chroot's ca-certificates, which rewrites its own)
  printf '[global]\ncert = /etc/ssl/certs/landeval-host-ca.crt\n' >"$ROOT/etc/pip.conf"
  # services must not start from package scripts inside the chroot
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"; chmod 755 "$ROOT/usr/sbin/policy-rc.d"
}

build() {
  local t0 partial=$ROOT.partial stamp=$ROOT/.landeval-ready
  exec 9>"$CHROOTS/.$SUITE.lock"; flock 9
  if [ -f "$stamp" ]; then
    refresh
    return
  fi
  t0=$(date +%s)
  say "building the $SUITE chroot in $ROOT (debootstrap --variant=minbase, once per machine)"
  [ -f "$partial/.debootstrap-done" ] || {
    safe_delete "$partial"
    if ! command -v debootstrap >/dev/null; then apt-get install -y -qq debootstrap >/dev/null; fi
    debootstrap --variant=minbase --keyring="$KEYRING" "$SUITE" "$partial" "$MIRROR" >"$CHROOTS/$SUITE.debootstrap.log" 2>&1 \
      || { tail -n 20 "$CHROOTS/$SUITE.debootstrap.log" >&2; die "debootstrap $SUITE failed (log: $CHROOTS/$SUITE.debootstrap.log)"; }
    touch "$partial/.debootstrap-done"
  }
  ROOT=$partial
  host_config
  do_mount
  in_chroot "apt-get update -qq" || die "apt-get update failed in the $SUITE chroot"
  local pkgs
  pkgs="$PACKAGES $(in_chroot 'for p in qttools5-dev-tools pyqt5-dev-tools; do apt-cache show $p >/dev/null 2>&1 && echo $p; done
    apt-cache show qttools5-dev-tools >/dev/null 2>&1 || echo qt6-l10n-tools
    apt-cache search --names-only "^postgresql-[0-9]+-postgis-3$" | cut -d" " -f1 | sort -V | tail -n 1')"
  pkgs=$(echo $pkgs ${LANDEVAL_EXTRA_PACKAGES:-})  # one line: it goes into a bash -c command
  if ! in_chroot "apt-get install -s -qq $pkgs" >"$CHROOTS/$SUITE.resolve.log" 2>&1; then
    grep -E "Depends|unmet|broken|no installation candidate|Unable to locate" "$CHROOTS/$SUITE.resolve.log" | head -n 15 >&2 || true
    say "apt cannot resolve the QGIS packages in $SUITE today (log: $CHROOTS/$SUITE.resolve.log)"
    exit $UNRESOLVABLE
  fi
  in_chroot "apt-get install -y -qq -o Dpkg::Use-Pty=0 $pkgs >/var/log/landeval-install.log 2>&1 || { tail -n 30 /var/log/landeval-install.log; exit 1; }" \
    || die "package installation failed in the $SUITE chroot"
  in_chroot "apt-get clean; ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime
    python3 -m venv --system-site-packages /opt/landeval/venv"
  cp "$HERE/requirements-dev.txt" "$ROOT/opt/landeval/requirements-dev.txt"
  in_chroot "/opt/landeval/venv/bin/python -m pip install -q -r /opt/landeval/requirements-dev.txt" \
    || die "pip install failed in the $SUITE chroot"
  cleanup_mounts
  ROOT=$CHROOTS/$SUITE
  safe_delete "$ROOT"
  mv "$partial" "$ROOT"
  date +%s >"$ROOT/.landeval-refreshed"
  touch "$stamp"
  say "built the $SUITE chroot in $(( $(date +%s) - t0 )) s: $(chroot "$ROOT" dpkg-query -W -f '${Package} ${Version}' qgis)"
}

cleanup_mounts() {
  local m
  for m in $MOUNTED; do umount -R "$m" 2>/dev/null || umount -R -l "$m"; done
  MOUNTED=""
}

refresh() {
  local last now t0 missing
  last=$(cat "$ROOT/.landeval-refreshed" 2>/dev/null || echo 0)
  now=$(date +%s)
  # a package added to PACKAGES since the chroot was built (e.g. qttranslations5-l10n) is installed now
  missing=$(in_chroot "for p in $(echo $PACKAGES); do dpkg -s \$p >/dev/null 2>&1 || echo \$p; done" | tr '\n' ' ')
  if [ -n "${missing// /}" ]; then
    say "installing into the $SUITE chroot: $missing"
    host_config
    do_mount
    in_chroot "apt-get update -qq && apt-get install -y -qq -o Dpkg::Use-Pty=0 $missing >/var/log/landeval-install.log 2>&1" \
      || say "WARNING: could not install $missing in the $SUITE chroot (see $ROOT/var/log/landeval-install.log)"
    cleanup_mounts
  fi
  if [ -z "${CI:-}" ] && [ -z "${LANDEVAL_REFRESH:-}" ] && [ $((now - last)) -lt 43200 ]; then
    say "$SUITE chroot present, packages refreshed $(( (now - last) / 60 )) min ago"
    return
  fi
  t0=$now
  host_config
  do_mount
  if in_chroot "apt-get update -qq && apt-get upgrade -y -qq -o Dpkg::Use-Pty=0 >/var/log/landeval-upgrade.log 2>&1"; then
    date +%s >"$ROOT/.landeval-refreshed"
    cp "$HERE/requirements-dev.txt" "$ROOT/opt/landeval/requirements-dev.txt"
    in_chroot "/opt/landeval/venv/bin/python -m pip install -q -r /opt/landeval/requirements-dev.txt" || say "WARNING: pip refresh failed"
    say "refreshed the $SUITE chroot in $(( $(date +%s) - t0 )) s"
  else
    # sid mid-transition can refuse an upgrade: test with the packages it has, and say so
    say "WARNING: apt-get upgrade failed in the $SUITE chroot; testing with its current packages (see $ROOT/var/log/landeval-upgrade.log)"
  fi
  cleanup_mounts
}

shared_data_dir() {  # as test/conftest.py finds it: $LANDEVAL_SHARED_DATA, ../shared/data, or beside the main checkout
  local gitdir
  if [ -n "${LANDEVAL_SHARED_DATA:-}" ]; then echo "$LANDEVAL_SHARED_DATA"; return; fi
  if [ -d "$HERE/../shared/data" ]; then (cd "$HERE/../shared/data" && pwd); return; fi
  if [ -f "$HERE/.git" ]; then
    gitdir=$(sed -n 's/^gitdir: *//p' "$HERE/.git")
    gitdir=$(cd "$HERE" && cd "$gitdir/../../.." && pwd)
    if [ -d "$gitdir/../shared/data" ]; then (cd "$gitdir/../shared/data" && pwd); return; fi
  fi
}

clone() {  # the commit under test (+ uncommitted changes to tracked files) into /opt/landeval/src
  local dst=$ROOT/opt/landeval/src commit dirty=""
  commit=$(git -C "$HERE" rev-parse HEAD)
  safe_delete "$dst"
  git clone -q --no-checkout "$HERE" "$dst"
  git -C "$dst" fetch -q origin "$commit" 2>/dev/null || true
  git -C "$dst" -c advice.detachedHead=false checkout -q "$commit"
  if ! git -C "$HERE" diff --quiet HEAD; then
    git -C "$HERE" diff --binary HEAD | git -C "$dst" apply --whitespace=nowarn
    dirty=" + uncommitted changes"
  fi
  if [ -n "$(git -C "$HERE" ls-files --others --exclude-standard)" ]; then  # new files not yet added
    (cd "$HERE" && git ls-files -z --others --exclude-standard | tar --null -T - -cf -) | tar -C "$dst" -xf -
    dirty="$dirty + untracked files"
  fi
  ln -s /opt/landeval/venv "$dst/.venv"
  touch "$ROOT/opt/landeval/venv/.requirements-installed"  # newer than the clone: make skips setup.sh
  rm -rf "$ROOT/opt/landeval/shared"; mkdir -p "$ROOT/opt/landeval/shared" "$ROOT/opt/landeval/tmp"
  local data
  data=$(shared_data_dir)
  if [ -n "$data" ] && [ -d "$data" ]; then
    cp -a "$data" "$ROOT/opt/landeval/shared/data"
    chmod -R a-w "$ROOT/opt/landeval/shared/data"
  else
    say "no shared data beside the repository: real-data tests skip in the chroot"
  fi
  say "$SUITE: testing $(git -C "$HERE" log -1 --format='%h %s' "$commit" | cut -c1-70)$dirty"
}

case $ACTION in
  build)
    build ;;
  test|run)
    build
    exec 9>&-
    exec 8>"$CHROOTS/.$SUITE.run.lock"; flock 8
    clone
    do_mount
    say "$SUITE: $(in_chroot 'python3 -c "from qgis.core import Qgis; from osgeo import gdal; print(\"QGIS\", Qgis.QGIS_VERSION, \"GDAL\", gdal.__version__)"' 2>&1 | tail -n 1)"
    if [ "$ACTION" = test ]; then
      printf -v args '%q ' "$@"
      set +e
      in_chroot "cd /opt/landeval/src && export LANDEVAL_PG_VERSION=\$(ls /usr/lib/postgresql | sort -V | tail -n 1) && make test PYTEST_ARGS=$(printf '%q' "${args% }")"
      rc=$?
    else
      set +e
      in_chroot "cd /opt/landeval/src && $*"
      rc=$?
    fi
    set -e
    exit $rc ;;
  install-zip)
    zip=${1:-}
    [ -f "$zip" ] || die "install-zip: no zip '$zip' (make package writes dist/landeval_plugin-<version>.zip)"
    build
    exec 9>&-
    exec 8>"$CHROOTS/.$SUITE.run.lock"; flock 8
    mkdir -p "$ROOT/opt/landeval/tmp"
    cp "$zip" "$ROOT/opt/landeval/tmp/landeval_plugin.zip"
    say "$SUITE: installing $(basename "$zip") (sha256 $(sha256sum "$zip" | cut -c1-16)) into a fresh profile"
    do_mount
    set +e
    in_chroot 'set -e
      P=$(mktemp -d); D=$P/profiles/default/python/plugins; mkdir -p "$D"
      python3 -m zipfile -e /opt/landeval/tmp/landeval_plugin.zip "$D"
      export QGIS_CUSTOM_CONFIG_PATH=$P QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$P
      echo "$(qgis_process.bin --version 2>/dev/null | head -n 1)"
      qgis_process.bin plugins enable landeval_plugin 2>&1 | grep -v XDG_RUNTIME_DIR | tail -n 2
      qgis_process.bin list 2>/dev/null | grep -o "landeval:[a-z_]*" | sort >"$P/algs"
      n=$(wc -l <"$P/algs")
      echo "landeval algorithms listed: $n: $(tr "\n" " " <"$P/algs")"
      ok=0; [ "$n" -ge 7 ] && grep -qx "landeval:grade" "$P/algs" && grep -qx "landeval:dossiers" "$P/algs" || ok=1
      rm -rf "$P"
      exit $ok'
    rc=$?
    set -e
    exit $rc ;;
  delete)
    exec 9>"$CHROOTS/.$SUITE.lock"; flock 9
    safe_delete "$ROOT"; safe_delete "$ROOT.partial"; say "deleted $ROOT" ;;
  *) usage ;;
esac
