"""Full garbage collections stay cheap: Streamlit's collection after every script run is off, and
the objects the first page loads are frozen out of later collections (``components.heap``)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import components.heap as heap

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_heap(monkeypatch: pytest.MonkeyPatch):
    """``components.heap`` as in a new process; the test process's heap unfrozen afterwards."""
    monkeypatch.setattr(heap, "_frozen", False)
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_streamlit_does_not_collect_after_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read as Streamlit reads it: ``.streamlit/config.toml`` in the folder the app is started from."""
    from streamlit import config

    monkeypatch.chdir(ROOT)
    try:
        config.get_config_options(force_reparse=True)
        assert config.get_option("runner.postScriptGC") is False
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)


def test_start_up_objects_are_frozen_once(fresh_heap) -> None:
    assert gc.get_freeze_count() == 0
    assert heap.freeze_start_up() is True
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # modules, classes and functions loaded so far
    assert heap.freeze_start_up() is False
    assert gc.get_freeze_count() == frozen  # a second call freezes nothing more


def test_the_app_freezes_after_its_first_page(fresh_heap) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert heap._frozen and gc.get_freeze_count() > 0
