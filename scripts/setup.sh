#!/usr/bin/env bash
# Installs what the build and the tests need and a fresh machine may lack. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."
need() { command -v "$1" >/dev/null 2>&1; }
if ! need java || ! need mvn; then
  echo "setup: installing JDK 17 and Maven" >&2
  apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi
if ! need node || ! need npm; then
  echo "setup: installing Node.js and npm (Yjs conformance tests, Socket.IO peer)" >&2
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing Debian's chromium (browser tests of clients/js)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
