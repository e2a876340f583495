#!/usr/bin/env bash
# Prepare a fresh Debian/Ubuntu checkout: system packages (when root), .venv, Python packages.
# Idempotent and quick when nothing changed. Used by ./run.sh, ./test.sh and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# 1. system packages: only as root on an apt system, and only the missing ones
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    mapfile -t pkgs < <(grep -v '^\s*#' scripts/apt-packages.txt | grep -v '^\s*$')
    missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "setup: installing system packages: ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
elif [ "$want_test" = 1 ] && ! command -v Xvfb >/dev/null 2>&1; then
    echo "setup: not root, so system packages were not installed; as root run:" >&2
    echo "  apt-get install -y $(grep -v '^\s*#' scripts/apt-packages.txt | grep -v '^\s*$' | tr '\n' ' ')" >&2
fi

# 2. a Python 3.11+ virtual environment
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "setup: Zavera Desktop needs Python 3.11 or newer ($PY is $("$PY" -V 2>&1))." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    "$PY" -m venv .venv
fi

# 3. Python packages, reinstalled only when pyproject.toml changed
extra=""
[ "$want_test" = 1 ] && extra="[test]"
stamp=".venv/.zavera-installed${extra:+-test}"
hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
installed() { [ -f "$1" ] && [ "$(cat "$1")" = "$hash" ]; }
# the test install is a superset of the plain one
if ! installed "$stamp" && ! { [ "$want_test" = 0 ] && installed ".venv/.zavera-installed-test"; }; then
    echo "setup: installing Python packages (first time: a few minutes, PySide6 is large)" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
    if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}" \
            > .venv/pip-install.log 2>&1; then
        tail -n 30 .venv/pip-install.log >&2
        echo "setup: pip install failed (full log: .venv/pip-install.log)" >&2
        exit 1
    fi
    echo "$hash" > "$stamp"
fi
