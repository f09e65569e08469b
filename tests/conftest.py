"""Shared fixtures. Work files always go to a temporary folder: tests never touch ./staffplus-work."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "instructor"))  # instructor_cohort
os.environ.setdefault("MPLBACKEND", "Agg")
# parsed scenario files are cached per machine (yamlcache); tests keep theirs out of ~/.cache, and
# the notebook kernels they start inherit it
os.environ.setdefault("STAFFPLUS_CACHE_DIR", tempfile.mkdtemp(prefix="staffplus-test-cache-"))


@pytest.fixture(autouse=True)
def _isolated_work_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("STAFFPLUS_WORK_DIR", str(tmp_path / "staffplus-work"))
    monkeypatch.delenv("STAFFPLUS_SCENARIOS", raising=False)
    yield


@pytest.fixture(scope="session")
def pack():
    from staffplus_widgets.data.scenario import get_pack

    return get_pack()


@pytest.fixture(scope="session")
def fraud(pack):
    return pack.get("payments-fraud")


# Shared by the widget tests: a small fixture scenario and a session saving to a temporary file.
@pytest.fixture
def scenario():
    from fixtures.widget_support import fixture_scenario

    return fixture_scenario()


@pytest.fixture
def path(tmp_path):
    return tmp_path / "work.json"


@pytest.fixture
def session(path, scenario):
    from fixtures.widget_support import new_session

    return new_session(path, scenario)


# Shared by the instructor tests (submit, debrief, export): the pack in tests/fixtures/instructor,
# made for instructor_cohort.py, and its one scenario; loaded once per test module.
@pytest.fixture(scope="module")
def cohort_pack():
    import instructor_cohort

    found = instructor_cohort.load_fixture_pack()
    assert instructor_cohort.SCENARIO_ID in found.scenarios, found.errors
    return found


@pytest.fixture(scope="module")
def cohort_scenario(cohort_pack):
    import instructor_cohort

    return cohort_pack.get(instructor_cohort.SCENARIO_ID)
