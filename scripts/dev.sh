#!/usr/bin/env bash
# Builds the server and starts it in development mode (anonymous clients, permissive namespaces)
# on http://localhost:8080. Extra arguments go to the server, e.g. --port 9000.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mvn -B -ntp -q -DskipTests -pl chorus-server -am package
exec java -jar chorus-server/target/chorus.jar --dev "$@"
