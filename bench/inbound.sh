#!/usr/bin/env bash
# Inbound benchmark (bench/README.md): bash bench/inbound.sh [messages-per-second] [-Dbench.NAME=value ...]
# Packages the application, creates the database consentcast_bench afresh, starts the OIDC stub, the fake Meta
# process and the application, posts signed webhooks (START, JA, STOP per reader) and writes bench/results/inbound.json.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then args+=("-Dbench.rate=$1"); shift; fi
exec ./mvnw -B -Pbench verify -Dbench=InboundBench "${args[@]}" "$@"
