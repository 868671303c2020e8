#!/usr/bin/env bash
# Install (first time) and launch the dashboard at http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1 && [ -z "${BROWSER_PATH:-}" ]; then
  echo "Note: Chromium not found; the app works, but PNG/SVG/PDF export needs it (scripts/setup.sh --chromium)."
fi
exec .venv/bin/streamlit run app.py "$@"
