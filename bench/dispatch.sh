#!/usr/bin/env bash
# Dispatch benchmark (bench/README.md): bash bench/dispatch.sh [readers-per-workspace [workspaces]] [-Dbench.NAME=value ...]
# Packages the application, creates the database consentcast_bench afresh, starts the OIDC stub, the fake
# Meta process and the application, generates the readers and writes bench/results/dispatch-<size>[-x<n>].json.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then args+=("-Dbench.size=$1"); shift; fi
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then args+=("-Dbench.workspaces=$1"); shift; fi
exec ./mvnw -B -Pbench verify -Dbench=DispatchBench "${args[@]}" "$@"
