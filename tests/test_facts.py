"""The documents say the same things before and after a restructure of the code.

``tests/fixtures/facts/`` holds work files and a folder of submissions, and ``expected.json`` the
facts that ``staffplus export`` (HTML and Markdown) and ``staffplus debrief --out ....json`` gave
for them before the package was reorganised into layers; ``progress/`` is one learner's work folder
with a history of attempts, and the facts of ``staffplus progress`` (its page and its JSON). A fact is a line of text a reader sees:
tags, styles and image bytes are left out, an image counts by its alt text. So the charts may be
drawn by another renderer, but every number, name, message and description must stay.

When a change is *meant* to alter what the documents say, rewrite the facts with
``python tests/test_facts.py --write`` and say why in the commit.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

from staffplus_widgets.cli import main

FACTS = Path(__file__).parent / "fixtures" / "facts"
EXPECTED = FACTS / "expected.json"
WORK_FILES = ("payments-fraud--learner01.json", "credit-risk--learner02.json")

_DROPPED = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
_IMAGE = re.compile(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_facts(text: str) -> list[str]:
    """The lines of text an HTML page shows, with each image as its alt text."""
    text = _DROPPED.sub(" ", text)
    text = _IMAGE.sub(lambda m: f"\n[image: {m.group(1)}]\n", text)
    text = re.sub(r"<(?:br|/p|/li|/tr|/h\d|/div|/td|/th|/caption|/figcaption)\b[^>]*>", "\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def md_facts(text: str) -> list[str]:
    """The lines of a Markdown document, with each embedded image as its alt text."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"[image: \1]", text)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def debrief_facts(text: str) -> dict:
    """The debrief's numbers, without the folder it was run from."""
    data = json.loads(text)
    data.pop("directory", None)
    return data


def current_facts(tmp: Path) -> dict:
    """Run the commands on the fixtures and collect what they say."""
    out: dict = {}
    for name in WORK_FILES:
        for suffix, facts in ((".html", html_facts), (".md", md_facts)):
            target = tmp / (Path(name).stem + suffix)
            assert main(["export", str(FACTS / name), "--to", str(target)]) in (0, None)
            out[target.name] = facts(target.read_text("utf-8"))
    target = tmp / "debrief.json"
    assert main(["debrief", str(FACTS / "submissions"), "--out", str(target), "--jobs", "1"]) in (
        0,
        None,
    )
    out["debrief.json"] = debrief_facts(target.read_text("utf-8"))
    target = tmp / "progress.html"
    assert (
        main(["progress", str(FACTS / "progress"), "--out", str(target), "--workbooks", str(tmp)])
        == 0
    )
    page = target.read_text("utf-8").replace(html.escape(str(FACTS / "progress")), "PROGRESS")
    out["progress.html"] = html_facts(page)  # the folder's path differs between checkouts
    out["progress.json"] = progress_facts(str(FACTS / "progress"))
    return out


def progress_facts(folder: str) -> dict:
    """The progress profile's numbers, without the folder it was read from."""
    from staffplus_widgets.practice.progress import progress

    data = progress(folder).to_json()
    data.pop("directory", None)
    return data


@pytest.fixture(scope="module")
def facts_now(tmp_path_factory):
    return current_facts(tmp_path_factory.mktemp("facts"))


@pytest.mark.parametrize(
    "document",
    [Path(n).stem + s for n in WORK_FILES for s in (".html", ".md")]
    + ["debrief.json", "progress.html", "progress.json"],
)
def test_documents_hold_the_same_facts_as_before_the_restructure(facts_now, document):
    expected = json.loads(EXPECTED.read_text("utf-8"))[document]
    now = facts_now[document]
    if isinstance(expected, list):
        missing = [line for line in expected if line not in now]
        added = [line for line in now if line not in expected]
        assert (missing, added) == ([], []), f"{document}: facts changed"
        assert now == expected, f"{document}: the same facts, in another order"
    else:
        assert now == expected


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        facts = current_facts(Path(tmp))
    EXPECTED.write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {EXPECTED} ({len(facts)} documents)")
