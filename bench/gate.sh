#!/usr/bin/env bash
# Consent gate benchmark (bench/README.md): bash bench/gate.sh [list-members] [-Dbench.NAME=value ...]
# Packages the application, creates the database consentcast_bench afresh, starts the OIDC stub, the fake
# Meta process and the application, generates the list and writes bench/results/gate.json.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then args+=("-Dbench.size=$1"); shift; fi
exec ./mvnw -B -Pbench verify -Dbench=GateBench "${args[@]}" "$@"
