#!/usr/bin/env bash
# Run the whole test suite (lint included). Sets up what it needs first. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --test
echo "== ruff" >&2
.venv/bin/ruff check zavera_desktop tests bench
echo "== pytest" >&2
set +e
# three workers, a test file per worker at a time (each worker has its own sandbox servers and test
# desktop); ZAVERA_TEST_WORKERS=0 runs everything in this process
workers="${ZAVERA_TEST_WORKERS:-3}"
xdist=()
[ "$workers" != 0 ] && xdist=(-n "$workers" --dist loadfile)
NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" .venv/bin/python -m pytest "${xdist[@]}" "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
    echo "test.sh: no tests were collected; that is a failure" >&2
    exit 1
fi
exit "$rc"
