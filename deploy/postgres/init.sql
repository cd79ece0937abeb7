-- Consentcast: database roles and databases, run once by the postgres image on its first start
-- (mounted into /docker-entrypoint-initdb.d by deploy/compose.yaml; psql 15+ for \getenv).
-- Passwords come from the container's environment, never from this file.
--
--   consentcast_owner  owns the schema; the application uses it only for Flyway migrations
--                      (the "migration" datasource, CONSENTCAST_DB_OWNER_USER/_PASSWORD)
--   consentcast_app    what the application connects as (CONSENTCAST_DB_USER/_PASSWORD); it owns
--                      nothing, so PostgreSQL row-level security applies to it. Its table grants are
--                      given by the migrations themselves.
--   keycloak           Keycloak's own database (KC_DB_PASSWORD)
--
-- Neither role may be a superuser or have BYPASSRLS: either would switch tenant isolation off.
-- The same setup for an existing server: .ci/db-setup.sh, or these statements by hand (docs/deploy.md).

\set ON_ERROR_STOP on
\getenv owner_password CONSENTCAST_DB_OWNER_PASSWORD
\getenv app_password CONSENTCAST_DB_PASSWORD
\getenv keycloak_password KC_DB_PASSWORD

CREATE ROLE consentcast_owner LOGIN PASSWORD :'owner_password' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB;
CREATE ROLE consentcast_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB;
CREATE DATABASE consentcast OWNER consentcast_owner;

CREATE ROLE keycloak LOGIN PASSWORD :'keycloak_password' NOSUPERUSER NOCREATEROLE NOCREATEDB;
CREATE DATABASE keycloak OWNER keycloak;

\connect consentcast
ALTER SCHEMA public OWNER TO consentcast_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE consentcast FROM PUBLIC;
GRANT CONNECT ON DATABASE consentcast TO consentcast_owner, consentcast_app;
