"""Where the shipped data, the geodata and the user's own data live."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DOCUMENTS_DIR = DATA_DIR / "documents"
TOURS_DIR = DATA_DIR / "tours"
GEODATA_DIR = PROJECT_ROOT / "geodata"
STATIC_DIR = PROJECT_ROOT / "static"


def user_data_dir() -> Path:
    """Folder for the user's own events, drafts and the geocoder cache.

    ``EXCHANGES_USER_DATA`` overrides it (tests point it at a temporary folder);
    otherwise ``user_data/`` beside the project, so shipped data is never written.
    """
    return Path(os.environ.get("EXCHANGES_USER_DATA", PROJECT_ROOT / "user_data"))
