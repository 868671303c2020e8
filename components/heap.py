"""Keeping Python's full garbage collections cheap for a long-running app.

A full collection (generation 2) walks every object the collector tracks.
Once Streamlit, pandas, Plotly, the gazetteer and the catalog are loaded that
is about 300,000 objects, ~240 ms with the interpreter lock held, during
which no session's page is answered. Streamlit ran one after every script run
(``runner.postScriptGC``, turned off in ``.streamlit/config.toml``); Python
still runs them now and then on its own.

:func:`freeze_start_up` moves the objects alive after the first page has been
drawn (modules, classes, the loaded data) to the collector's permanent
generation (``gc.freeze``, as the Python documentation suggests for long-lived
servers), so later collections skip them. It runs once per process. Objects
frozen here are still freed as usual when nothing refers to them; only cyclic
garbage among them would stay, and that is the start-up state, made once.
"""

from __future__ import annotations

import gc
import threading

_LOCK = threading.Lock()
_frozen = False


def freeze_start_up() -> bool:
    """Collect once, then freeze what is alive (first call in the process only).
    Returns whether this call froze."""
    global _frozen
    with _LOCK:
        if _frozen:
            return False
        gc.collect()
        gc.freeze()
        _frozen = True
        return True
