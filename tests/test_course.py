"""The start page's table: each workbook and what the learner's work files say about it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from staffplus_widgets import workfile
from staffplus_widgets.data.scenario import get_scenario
from staffplus_widgets.practice.course import course_status, status_markdown
from staffplus_widgets.practice.session import WorkSession

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"


@pytest.fixture
def folders(tmp_path):
    books = tmp_path / "workbooks"
    books.mkdir()
    for name in ("00_start_here.ipynb", "01_payments_fraud.ipynb", "02_search_ranking.ipynb",
                 "99_mock_interview.ipynb"):  # fmt: skip
        shutil.copy(WORKBOOKS / name, books / name)
    work = tmp_path / "staffplus-work"
    work.mkdir()
    return books, work


def by_file(rows):
    return {r.file: r for r in rows}


def test_a_new_learner_has_started_nothing(folders):
    books, work = folders
    rows = by_file(course_status(books, work))
    assert list(rows) == sorted(rows)
    assert rows["01_payments_fraud.ipynb"].summary() == "not started"
    assert rows["00_start_here.ipynb"].summary() == ""  # no scenario of its own
    assert rows["99_mock_interview.ipynb"].summary() == ""  # a scenario parameter, not its own


def test_started_answered_and_interviewed_come_from_the_work_file(folders):
    books, work = folders
    session = WorkSession(
        get_scenario("payments-fraud"),
        workfile.work_path("payments-fraud", "Ann", work),
        learner="Ann",
        autosave_delay=0,
    )
    session.register.add(title="Labels arrive late", category="data", likelihood=4, impact=4)
    session.answers["recommendation"] = "Tiered GBDT, because CPU only."
    session.interviews.append({"score": 40})
    session.changed("risks")
    # a backup beside it is not the learner's work, however new
    (work / f"{session.path.stem}.before-import-20261203-101010.json").write_text("{ not json")
    fraud = by_file(course_status(books, work))["01_payments_fraud.ipynb"]
    assert fraud.summary() == "started: 1 risk, answer written, 1 mock interview"
    assert by_file(course_status(books, work))["02_search_ranking.ipynb"].summary() == "not started"


def test_an_unreadable_work_file_is_reported_not_raised(folders):
    books, work = folders
    (work / "search-ranking.json").write_text("{ not json")
    row = by_file(course_status(books, work))["02_search_ranking.ipynb"]
    assert row.unreadable and "unreadable" in row.summary()
    assert course_status(books, work / "missing")  # no work folder yet: every row, not started


def test_the_table_links_every_other_workbook_and_keeps_titles_plain(folders):
    books, work = folders
    nb = books / "02_search_ranking.ipynb"
    nb.write_text(nb.read_text().replace('"title": "', '"title": "<b>|[x](y)* ', 1))
    table = status_markdown(course_status(books, work), current="00_start_here.ipynb")
    assert "(00_start_here.ipynb)" not in table
    assert (
        "[Card-not-present checkout fraud at a marketplace](01_payments_fraud.ipynb) | not started |"
        in table
    )
    assert "\\<b\\>\\|\\[x\\](y)\\*" in table and "<b>" not in table
    assert len(table.splitlines()) == 2 + 3
