#!/usr/bin/env bash
# Create (or update) the project's virtualenv in .venv and install the package.
#   scripts/setup.sh            the app
#   scripts/setup.sh --test     the app and the test tools, plus Debian's
#                               Chromium (browser tests, image export) if missing
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
extras=""
want_chromium=0
for arg in "$@"; do
  case "$arg" in
    --test) extras="[test]"; want_chromium=1 ;;
    --chromium) want_chromium=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

if [ "$want_chromium" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "Installing Debian's chromium (used for image export and the browser tests)…"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "Chromium not found and apt-get is not available: install Chromium and set BROWSER_PATH to it." >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras}"
