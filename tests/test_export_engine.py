"""The export engine gives up on a browser that never answers, and kills exactly the
processes it started (issue 13, item 6). No real Chromium needed: the "browser" is a
script that starts a helper and then waits for ever."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import exchanges.export as export
from exchanges.export import ExportEngine, ExportUnavailable


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, killed but not yet reaped by init, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.fixture
def hung_browser(tmp_path: Path) -> Path:
    script = tmp_path / "chromium"
    script.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {tmp_path}/helper.pid\necho $$ > {tmp_path}/browser.pid\n"
                      "sleep 300\n")
    script.chmod(0o755)
    return script


def running_script(script: Path) -> list[int]:
    """Live processes running ``script``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(script).encode() in cmdline.read_bytes().split(b"\0") and alive(int(cmdline.parent.name)):
                found.append(int(cmdline.parent.name))
        except (OSError, ValueError):
            continue
    return found


def test_a_browser_that_never_answers_is_given_up_and_killed(hung_browser: Path, monkeypatch) -> None:
    monkeypatch.setattr(export, "START_TIMEOUT_S", 5.0)
    bystander = os.spawnlp(os.P_NOWAIT, "sleep", "sleep", "60")  # not ours to kill
    engine = ExportEngine(browser=hung_browser)
    start = time.monotonic()
    try:
        with pytest.raises(ExportUnavailable, match="did not answer"):
            engine.start()
        assert time.monotonic() - start < 60
        deadline = time.monotonic() + 15
        while running_script(hung_browser) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running_script(hung_browser)  # the browser (this script) is gone
        helper_file = hung_browser.parent / "helper.pid"
        if helper_file.exists() and helper_file.read_text().strip():  # and the helper it started
            helper = int(helper_file.read_text())
            while alive(helper) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not alive(helper)
        assert alive(bystander) and alive(os.getpid())
        assert not engine.running and engine.browser_pids == frozenset()
    finally:
        engine.close()
        os.kill(bystander, 9)
        os.waitpid(bystander, 0)


def test_closing_an_engine_that_never_started_is_harmless(hung_browser: Path) -> None:
    engine = ExportEngine(browser=hung_browser)
    engine.close()
    engine.close()
    assert not engine.running
