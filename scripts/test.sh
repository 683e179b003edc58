#!/usr/bin/env bash
# Runs the whole test suite: every module's unit tests, the contract suites and the end-to-end tests
# over real sockets. Installs what a fresh machine lacks first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec mvn -B -ntp verify "$@"
