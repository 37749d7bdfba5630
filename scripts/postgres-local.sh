#!/usr/bin/env bash
# Starts a local PostgreSQL from Debian's packages (installing them if
# missing), creates the role and database Xinsheng's tests use, and prints
# the URL to put in POSTGRES_URL (the only line on standard output).
#   export POSTGRES_URL=$(scripts/postgres-local.sh)
set -euo pipefail
database="${XINSHENG_PG_DATABASE:-xinsheng_test}"
role=xinsheng
password=xinsheng

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  echo "installing: postgresql" >&2
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  $sudo_cmd pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  $sudo_cmd pg_ctlcluster "$version" main start >&2
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi
}
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"" | grep -q 1; then
  as_postgres "psql -p $port -qc \"CREATE ROLE $role LOGIN PASSWORD '$password'\"" >&2
fi
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = '$database'\"" | grep -q 1; then
  as_postgres "createdb -p $port -O $role $database" >&2
fi
echo "postgres://$role:$password@127.0.0.1:$port/$database"
