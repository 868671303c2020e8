"""``python -m exchanges ingest``: drafts and a summary for a good file, clear errors for bad ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from exchanges.cli import main
from exchanges.paths import DOCUMENTS_DIR, PROJECT_ROOT

LETTER = DOCUMENTS_DIR / "1952-01-07_gromyko_to_stalin_repatriation.txt"


@pytest.fixture(autouse=True)
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user"
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(folder))
    monkeypatch.delenv("EXCHANGES_LIVE_GEOCODING", raising=False)
    return folder


def test_ingest_writes_draft_and_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "drafts" / "letter.yaml"
    assert main(["ingest", str(LETTER), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    records = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert any(r.get("is_document") for r in records)
    assert (out.parent / "letter.documents.yaml").exists()
    assert "shanghai (Shanghai): 5" in printed  # the letter names Shanghai five times
    assert "'spring and summer of 1952' -> 1952-03-01..1952-08-31 (season)" in printed
    assert "'approximately 2,500' -> 2500 unemployed Soviet citizens (approximate)" in printed
    assert "Unresolved place names: none" in printed
    assert f"Draft events: {len(records)} written to {out}" in printed


def test_default_output_is_the_user_drafts_folder(user_dir: Path) -> None:
    assert main(["ingest", str(LETTER)]) == 0
    drafts = list((user_dir / "drafts").glob("*.yaml"))
    assert len([d for d in drafts if not d.name.endswith(".documents.yaml")]) == 1


def test_unknown_places_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "note.txt"
    source.write_text("May 3, 1962\n\nA note\n\nOn 1 May a crowd gathered near Lanzhou.\n", encoding="utf-8")
    assert main(["ingest", str(source), "--out", str(tmp_path / "note.yaml")]) == 0
    printed = capsys.readouterr().out
    assert "Unresolved place names (1):" in printed and "Lanzhou: " in printed


def test_undated_text_needs_a_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "note.txt"
    source.write_text("The delegation met in Beijing and issued a statement.\n", encoding="utf-8")
    assert main(["ingest", str(source), "--out", str(tmp_path / "a.yaml")]) == 1
    assert "--date" in capsys.readouterr().err
    assert main(["ingest", str(source), "--out", str(tmp_path / "b.yaml"), "--date", "1955-03-03"]) == 0
    assert yaml.safe_load((tmp_path / "b.yaml").read_text(encoding="utf-8"))[0]["date"] == "1955-03-03"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "binary"),
        ("Ürümqi, 3 May 1950".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str) -> None:
    path = tmp_path / "doc.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["ingest", str(path), "--out", str(tmp_path / "d.yaml")]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err
    assert not (tmp_path / "d.yaml").exists()


def test_too_large_file_is_refused_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    assert main(["ingest", str(path)]) == 2
    assert "larger than the limit" in capsys.readouterr().err


def test_out_must_be_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(LETTER), "--out", str(tmp_path / "draft.csv")]) == 2
    assert ".yaml" in capsys.readouterr().err


def test_module_entry_point(tmp_path: Path, user_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exchanges", "ingest", str(tmp_path / "missing.txt")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "EXCHANGES_USER_DATA": str(user_dir)},
    )
    assert result.returncode == 2
    assert "file not found" in result.stderr
