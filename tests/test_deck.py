"""The steering committee's deck: `python -m monitoring slides` writes a 16:9 page per agenda slide with the numbers
the screen shows."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from monitoring.cli import main
from monitoring.model.config import load_settings
from monitoring.outputs.agenda import parse_agenda
from tests.conftest import open_page

AS_OF = "2025-12-31"
PAGE_FILES = {"": "overview.py", "report-slide": "report_slide.py", "since-meeting": "since_meeting.py"}


def page_file(url_path: str) -> str:
    return PAGE_FILES.get(url_path, url_path.replace("-", "_") + ".py")


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> list[str]:
    """The sample's deck as of AS_OF: each page's text."""
    out = tmp_path_factory.mktemp("deck") / "deck.pdf"
    assert main(["slides", "--as-of", AS_OF, "--out", str(out)]) == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert round(width / height, 2) == round(16 / 9, 2)
    return [page.extract_text() for page in reader.pages]


def screen_numbers(at) -> list[tuple[str, str]]:
    """The key numbers a slide shows: its metrics, Needs attention's tiles, or the counts in the captions
    ("**30** organisations · **8** countries")."""
    if at.metric:
        return [(m.label, m.value) for m in at.metric]
    tiles = "".join(h.proto.body for h in at.get("html") if "spinit-tile" in h.proto.body)
    if "attention" in at.main.markdown[0].value.lower():
        return [("Indicators behind or at risk", str(tiles.count('class="spinit-tile"')))]
    lines = " · ".join(c.value for c in at.caption)
    return [(label.capitalize(), n) for n, label in re.findall(r"\*\*([\d,]+)\*\* ([^·*]+?)(?= ·|$)", lines)]


def test_the_deck_has_one_page_per_agenda_slide_with_the_as_of_date_and_freshness(deck):
    agenda = load_settings("indicators.yaml").meeting.agenda
    assert len(deck) == len(agenda)
    for number, text in enumerate(deck, start=1):
        assert "As of 31 Dec 2025 · data read" in text and "sample data" in text
        assert f"slide {number} of {len(agenda)}" in text


def test_every_slide_of_the_deck_has_the_numbers_of_its_page_on_screen(deck):
    items = parse_agenda(load_settings("indicators.yaml").meeting.agenda)
    for index, (item, text) in enumerate(zip(items, deck, strict=True), start=1):
        at = open_page(page_file(item.page), present="1", as_of=AS_OF, slide=str(index), **dict(item.params))
        shown = screen_numbers(at)
        assert shown, item.word
        flat = " ".join(text.split())
        labels, values = (" ".join(part) for part in zip(*shown, strict=True))
        assert labels in flat and f"{labels} {values}" in flat, (item.word, shown, flat[:400])


def test_an_existing_deck_is_not_overwritten_without_force(tmp_path, capsys):
    out = tmp_path / "deck.pdf"
    out.write_bytes(b"minutes of the last meeting")
    assert main(["slides", "--out", str(out)]) == 2
    assert "already exists; add --force" in capsys.readouterr().err
    assert out.read_bytes() == b"minutes of the last meeting"
    assert main(["slides", "--agenda", "overview,report:P2", "--out", str(out), "--force"]) == 0
    assert len(PdfReader(out).pages) == 2


def test_the_deck_never_overwrites_the_source_even_with_force(capsys):
    sample = Path("data/sample/spinit-sample.xlsx")
    before = sample.read_bytes()
    assert main(["slides", "--out", str(sample), "--force"]) == 2
    assert "is the source the data is read from" in capsys.readouterr().err
    assert sample.read_bytes() == before


def test_an_agenda_word_that_is_not_a_slide_is_refused_by_name(tmp_path, capsys):
    assert main(["slides", "--agenda", "overview,slideshow", "--out", str(tmp_path / "d.pdf")]) == 2
    assert "error: --agenda: 'slideshow' is not a slide; the slides are overview" in capsys.readouterr().err
