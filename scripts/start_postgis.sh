#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster and makes sure role and database `landeval` (password
# `landeval`, PostGIS enabled) exist, so the PostGIS source test can run. Idempotent: safe to
# call before every `make test`. Needs root (CI runs as root); otherwise it only says why it
# did nothing, and the PostGIS test skips with that reason. Never fails the build.
set -u
VERSION=${LANDEVAL_PG_VERSION:-15}
CLUSTER=${LANDEVAL_PG_CLUSTER:-main}
PORT=${LANDEVAL_PG_PORT:-5432}

say() { echo "start_postgis: $*"; }

if [ "$(id -u)" != "0" ]; then
  say "not root: leaving PostgreSQL alone (the PostGIS test runs when a server is already up)"
  exit 0
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  say "PostgreSQL is not installed (scripts/setup.sh installs postgresql and postgis)"
  exit 0
fi
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$VERSION $CLUSTER"; then
  say "creating cluster $VERSION/$CLUSTER"
  pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >/dev/null || { say "cannot create the cluster"; exit 0; }
fi
status=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')
cluster_port=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $3}')
if [ "$cluster_port" != "$PORT" ] && [ "$status" != "online" ]; then
  # the cluster Debian made at install time listens on 5432; a test chroot beside the host's server needs another
  pg_conftool "$VERSION" "$CLUSTER" set port "$PORT" || { say "cannot move cluster $VERSION/$CLUSTER to port $PORT"; exit 0; }
fi
if [ "$status" != "online" ]; then
  pg_ctlcluster "$VERSION" "$CLUSTER" start || { say "cannot start cluster $VERSION/$CLUSTER"; exit 0; }
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -p $PORT -Atqc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
psql_su() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -Atq $*"; }
if [ "$(psql_su "-c \"select 1 from pg_roles where rolname='landeval'\"")" != "1" ]; then
  psql_su "-c \"create role landeval login password 'landeval'\"" || { say "cannot create role landeval"; exit 0; }
fi
if [ "$(psql_su "-c \"select 1 from pg_database where datname='landeval'\"")" != "1" ]; then
  psql_su "-c \"create database landeval owner landeval\"" || { say "cannot create database landeval"; exit 0; }
fi
psql_su "-d landeval -c \"set client_min_messages to warning; create extension if not exists postgis\"" || { say "cannot create the postgis extension"; exit 0; }
psql_su "-d landeval -c \"grant all on schema public to landeval\"" >/dev/null 2>&1 || true
# the LandEval store's shared set-up (core/store/security.py) creates town, reviewer and bureau roles
psql_su "-c \"alter role landeval createrole\"" >/dev/null 2>&1 || say "cannot give landeval CREATEROLE (shared-store tests will say why they cannot run)"
say "PostgreSQL $VERSION/$CLUSTER on port $PORT: database landeval (user landeval) with PostGIS ready"
