#!/usr/bin/env bash
# Creates the PostgreSQL roles and a database for Consentcast on a server of your own, idempotently.
#   .ci/db-setup.sh [database]      (default: consentcast_test)
# Only for tests against that server (CONSENTCAST_DB_URL): without it, dev mode and the tests start an
# embedded PostgreSQL and create the same roles themselves (io.consentcast.devdb.EmbeddedPostgres).
# Roles: consentcast_owner owns the schema and runs migrations; consentcast_app is what the
# application connects as: it owns nothing, so row-level security applies to it.
set -euo pipefail
DB="${1:-consentcast_test}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGADMIN="${PGADMIN:-postgres}"

psql_admin() {
  psql -h "$PGHOST" -p "$PGPORT" -U "$PGADMIN" -v ON_ERROR_STOP=1 -qtA "$@"
}

role() {
  local name="$1"
  if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='$name'")" != "1" ]; then
    psql_admin -d postgres -c "CREATE ROLE $name LOGIN PASSWORD '$name' NOSUPERUSER NOBYPASSRLS NOCREATEROLE"
  fi
}

role consentcast_owner
role consentcast_app
if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname='$DB'")" != "1" ]; then
  psql_admin -d postgres -c "CREATE DATABASE $DB OWNER consentcast_owner"
fi
psql_admin -d "$DB" -c "ALTER SCHEMA public OWNER TO consentcast_owner"
psql_admin -d "$DB" -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC"
echo "PostgreSQL database $DB ready (owner consentcast_owner, application role consentcast_app)"
