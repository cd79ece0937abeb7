#!/usr/bin/env bash
# Opt-in load benchmark (bench/README.md): bash bench/optin.sh [submissions-per-second] [-Dbench.NAME=value ...]
# Packages the application, creates the database consentcast_bench afresh, starts the OIDC stub and the
# application, and writes bench/results/optin.json.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then args+=("-Dbench.rate=$1"); shift; fi
exec ./mvnw -B -Pbench verify -Dbench=OptInBench "${args[@]}" "$@"
