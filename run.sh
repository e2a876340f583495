#!/usr/bin/env bash
# Launch Zavera Desktop against the embedded sandbox (demo traffic). Sets up what it needs first.
# Any arguments go to `zavera-desktop` (e.g. ./run.sh watch --help).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec .venv/bin/zavera-desktop "$@"
