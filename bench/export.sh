#!/usr/bin/env bash
# Export benchmark (bench/README.md): bash bench/export.sh [events] [-Dbench.NAME=value ...]
# Packages the application, creates the database consentcast_bench afresh, starts the OIDC stub and the
# application, generates the ledger and writes bench/results/export.json.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then args+=("-Dbench.events=$1"); shift; fi
exec ./mvnw -B -Pbench verify -Dbench=ExportBench "${args[@]}" "$@"
