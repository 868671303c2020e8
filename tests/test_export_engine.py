"""The export engine: kaleido's own server started once and reused by every export of a
process (issue 11, item 4); a clear error and exit status 3 without Chromium; and a
browser that never answers given up, with exactly the processes it started killed
(issue 13, item 6: no real Chromium needed there, the "browser" is a script that
starts a helper and then waits for ever)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import kaleido
import pytest

import exchanges.export.engine as export
from exchanges.cli import main
from exchanges.export.engine import ExportEngine, ExportUnavailable, export_status


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


# Killing the browser ends kaleido's server thread with the browser's error: expected here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
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


@pytest.fixture
def server_starts(monkeypatch) -> list[str]:
    """The browser of every start of kaleido's server (the real one: this only counts)."""
    starts: list[str] = []
    real_start = kaleido.start_sync_server

    def counted(*args, **kwargs):
        starts.append(kwargs.get("path"))
        return real_start(*args, **kwargs)

    monkeypatch.setattr(kaleido, "start_sync_server", counted)
    return starts


@pytest.mark.skipif(not export_status()[0], reason="no Chromium to render with")
def test_one_server_serves_every_export_of_a_process(tmp_path, user_data, server_starts, monkeypatch) -> None:
    monkeypatch.setattr(export, "_shared_engine", None)  # this process's first export
    try:
        for image_format in ("png", "svg"):  # two exports, two charts each
            argv = ["export", "--from", "1962", "--chart", "both", "--width", "640", "--format", image_format,
                    "--out", str(tmp_path / "out")]
            assert main(argv) == 0
        assert len(list((tmp_path / "out").iterdir())) == 4
        engine = export.shared_engine()
        assert server_starts == [str(engine.browser)]  # started once, then reused
        assert engine.starts == 1 and engine.renders == 4 and engine.running
    finally:
        export.close_shared_engine()
    assert not engine.running


@pytest.mark.parametrize(
    "argv",
    [["--from", "1962", "--format", "png"], ["--tour", "xinjiang-1962", "--format", "pdf"]],
    ids=["images", "deck"],
)
def test_without_chromium_an_export_says_what_to_install_and_exits_3(
    tmp_path, user_data, server_starts, monkeypatch, capsys, argv
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    monkeypatch.setattr(export, "_shared_engine", None)
    assert main(["export", *argv, "--out", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err
    assert "error: BROWSER_PATH=" in err and "apt-get install chromium" in err
    assert server_starts == []  # kaleido never asked to start (nor to look for, or fetch, a browser)
    assert not (tmp_path / "out").exists()
