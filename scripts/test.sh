#!/usr/bin/env bash
# Install everything the tests need (Debian chromium, the package with its test
# extras) and run the whole test suite, browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export BROWSER_PATH=${BROWSER_PATH:-$(command -v chromium || echo /usr/bin/chromium)}
exec .venv/bin/python -m pytest "$@"
