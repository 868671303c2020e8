"""``python -m exchanges ingest``: drafts and a summary for a good file, clear errors for bad ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from geocoding_data import FakeGeopy, fill_cache, use_fake_nominatim
from store_data import saved_places

from exchanges.cli import main
from exchanges.gazetteer import Gazetteer
from exchanges.geocoder import LIVE_ENV_VAR
from exchanges.paths import DOCUMENTS_DIR, PROJECT_ROOT

LETTER = DOCUMENTS_DIR / "1952-01-07_gromyko_to_stalin_repatriation.txt"


@pytest.fixture(autouse=True)
def _offline(user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: an empty user data folder (conftest) and live geocoding not asked for."""
    monkeypatch.delenv(LIVE_ENV_VAR, raising=False)


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


def test_the_draft_is_kept_in_the_users_store(user_data: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from exchanges.userdata import saved_draft, saved_drafts

    assert main(["ingest", str(LETTER)]) == 0
    (name,) = saved_drafts()
    assert f"written to your store as drafts/{name}" in capsys.readouterr().out
    assert {p.name for p in user_data.iterdir()} <= {"exchanges.sqlite3", "exchanges.sqlite3-wal",
                                                     "exchanges.sqlite3-shm"}  # no loose files
    draft = saved_draft(name)
    assert draft is not None and draft.text == LETTER.read_text(encoding="utf-8")
    assert draft.document["id"] == name and any(e.get("is_document") for e in draft.events)
    out = tmp_path / "letter.yaml"  # --out writes the files and keeps it in the store too
    assert main(["ingest", str(LETTER), "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == saved_draft(name).events
    assert f"written to {out} and kept in your store as drafts/{name}" in capsys.readouterr().out


def test_no_store_writes_only_the_files(user_data: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from exchanges.userdata import saved_drafts

    assert main(["ingest", str(LETTER), "--no-store"]) == 2
    assert "--no-store: give --out PATH" in capsys.readouterr().err
    assert main(["ingest", str(LETTER), "--no-store", "--out", str(tmp_path / "d.yaml")]) == 0
    assert (tmp_path / "d.yaml").exists() and saved_drafts() == []


def test_unknown_places_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "note.txt"
    source.write_text("May 3, 1962\n\nA note\n\nOn 1 May a crowd gathered near Zarnovka.\n", encoding="utf-8")
    assert main(["ingest", str(source), "--out", str(tmp_path / "note.yaml")]) == 0
    printed = capsys.readouterr().out
    assert "Unresolved place names (1):" in printed and "Zarnovka: " in printed


ZARNOVKA = {"Zarnovka": (39.4704, 75.9898, "Zarnovka, Kashi, Xinjiang, China")}
"""An invented town (the regional gazetteer knows every real one); the point lies inside the PRC outline."""
ZARNOVKA_NOTE = "May 3, 1962\n\nA note on the border\n\nOn 1 May a statement was delivered in Zarnovka.\n"


def drafted_places(path: Path) -> list[list[str]]:
    return [record.get("places", []) for record in yaml.safe_load(path.read_text(encoding="utf-8"))]


def test_located_names_are_only_reported_without_accept_places(
    shipped_gazetteer: Gazetteer, tmp_path: Path, user_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_cache(shipped_gazetteer, ZARNOVKA)
    source = tmp_path / "note.txt"
    source.write_text(ZARNOVKA_NOTE, encoding="utf-8")
    assert main(["ingest", str(source), "--out", str(tmp_path / "note.yaml")]) == 0
    printed = capsys.readouterr().out
    assert "Located outside the gazetteer (--accept-places" in printed
    assert "Zarnovka: 39.4704, 75.9898 (Zarnovka, Kashi, Xinjiang, China; cache)" in printed
    assert not (user_data / "places.csv").exists()
    assert drafted_places(tmp_path / "note.yaml") == [[], []]


def test_accept_places_adds_them_and_the_drafts_name_them(
    tmp_path: Path, user_data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nominatim = FakeGeopy(ZARNOVKA)
    use_fake_nominatim(monkeypatch, nominatim)
    source = tmp_path / "note.txt"
    source.write_text(ZARNOVKA_NOTE, encoding="utf-8")
    out = tmp_path / "note.yaml"
    assert main(["ingest", str(source), "--out", str(out), "--live-geocoding", "--accept-places"]) == 0
    printed = capsys.readouterr().out
    assert nominatim.calls == ["Zarnovka"]
    assert f"Added to your places ({user_data / 'places.csv'}):" in printed
    assert "zarnovka (Zarnovka): 39.4704, 75.9898, city, PRC" in printed
    place = Gazetteer.load_with_user_places().get("zarnovka")
    assert place is not None and "query 'Zarnovka'" in place.source and "Kashi" in place.source
    assert drafted_places(out) == [["zarnovka"], ["zarnovka"]]

    assert main(["ingest", str(source), "--out", str(out), "--accept-places"]) == 0  # again: a known place now
    assert "zarnovka (Zarnovka): 1" in capsys.readouterr().out
    assert [row["id"] for row in saved_places()] == ["zarnovka"]  # once, in the user's store


def test_a_place_that_cannot_be_added_is_a_warning(
    shipped_gazetteer: Gazetteer, tmp_path: Path, user_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (user_data / "places.csv").write_text("id;name\n", encoding="utf-8")  # broken by hand (before the store opens)
    fill_cache(shipped_gazetteer, ZARNOVKA)
    source = tmp_path / "note.txt"
    source.write_text(ZARNOVKA_NOTE, encoding="utf-8")
    assert main(["ingest", str(source), "--out", str(tmp_path / "note.yaml"), "--accept-places"]) == 0
    err = capsys.readouterr().err
    assert "warning: left out of your places:" in err and "row 1" in err
    assert "warning: Zarnovka was not added to your places" in err
    assert (user_data / "places.csv").read_text(encoding="utf-8") == "id;name\n"


def test_undated_text_is_drafted_and_asks_for_its_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "note.txt"
    source.write_text("The delegation met in Beijing and issued a statement on 4 [March].\n", encoding="utf-8")
    assert main(["ingest", str(source), "--out", str(tmp_path / "a.yaml")]) == 0  # never 1 for a readable text
    printed = capsys.readouterr().out
    assert "DATE NEEDED:" in printed and "--date YYYY-MM-DD" in printed and "'4 [March]'" in printed
    records = yaml.safe_load((tmp_path / "a.yaml").read_text(encoding="utf-8"))
    assert len(records) == 2 and all(record["date"] is None for record in records)  # to be filled in
    assert main(["ingest", str(source), "--out", str(tmp_path / "b.yaml"), "--date", "1955-03-05"]) == 0
    assert "DATE NEEDED" not in capsys.readouterr().out
    dated = yaml.safe_load((tmp_path / "b.yaml").read_text(encoding="utf-8"))
    assert [record["date"] for record in dated] == ["1955-03-05", "1955-03-04"]


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


def test_module_entry_point(tmp_path: Path, user_data: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exchanges", "ingest", str(tmp_path / "missing.txt")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "EXCHANGES_USER_DATA": str(user_data)},
    )
    assert result.returncode == 2
    assert "file not found" in result.stderr


def test_a_shipped_document_id_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft.yaml"
    assert main(["ingest", str(LETTER), "--out", str(out), "--id", "gromyko-to-stalin-1952-01-07"]) == 2
    message = capsys.readouterr().err
    assert "gromyko-to-stalin-1952-01-07" in message and "shipped document" in message
    assert not out.exists()
