"""A workshop on a real JupyterHub: ten learners at once, nbgitpuller, kernels, submit and debrief.

One hub per module (``tests/hub_support.py`` starts it on free 127.0.0.1 ports with the dummy
authenticator and ``SimpleLocalProcessSpawner``, loading ``deploy/jupyterhub/jupyterhub_config.py``
first, and always stops it). Then, from threads, each learner: is created and spawned through the
hub's REST API; pulls the workbooks with nbgitpuller from a local git repository; runs every code
cell of ``01_payments_fraud.ipynb`` in their own kernel over the kernel websocket; adds a risk to
their work; and hands the work file in with ``staffplus submit`` run inside that kernel. The
instructor's ``staffplus debrief --format json`` must count every one of them. A second pull of an
updated content repository must bring the update and leave every learner's work untouched.

Half the cohort runs as the shipped config says (``STAFFPLUS_WORK_DIR=~/staffplus-work``); the other
half simulates a hub without that setting, so their work lands in ``./staffplus-work`` next to the
notebook, inside the folder nbgitpuller manages (the harder case for the second pull).

Prerequisites (git, npm or configurable-http-proxy, the ``test`` extra): missing ones skip the module
locally and fail it when ``CI=true``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hub_support import (
    CONTENT_NAME,
    DEPLOY_CONFIG,
    NOTE,
    NOTEBOOK,
    ROOT,
    SCENARIO,
    START_HERE,
    Hub,
    Learner,
    Missing,
    commit_update,
    git,
    in_parallel,
    learner_morning,
    make_content_repo,
    missing_prerequisites,
    proxy_command,
    start_hub,
)

LEARNERS = 10
VALUES = ROOT / "deploy" / "jupyterhub" / "values.yaml"


def _unavailable(problems: list[str]) -> None:
    message = "JupyterHub tests cannot run: " + "; ".join(problems)
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# -- the workshop ---------------------------------------------------------------------------------------------
def expected_work_path(hub: Hub, name: str, follow_config: bool) -> Path:
    home = hub.homes / name
    folder = (
        home / "staffplus-work"
        if follow_config
        else home / CONTENT_NAME / "workbooks" / "staffplus-work"
    )
    return folder / f"{SCENARIO}.json"


def debrief(shared: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", "debrief", str(shared), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"staffplus debrief exited {done.returncode}: {done.stderr}"
    return json.loads(done.stdout)


def sha256_tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def workshop(request, tmp_path_factory):
    """A hub, a content repository, and ten learners who pulled, ran, edited and submitted."""
    problems = missing_prerequisites()
    if problems:
        _unavailable(problems)
    try:
        proxy = proxy_command()
    except Missing as exc:
        _unavailable([str(exc)])
    folder = tmp_path_factory.mktemp("workshop")
    repo = make_content_repo(folder / "content")
    t0 = time.perf_counter()
    hub = start_hub(folder / "hub", proxy=proxy)
    request.addfinalizer(hub.stop)
    started = time.perf_counter() - t0
    names = [f"learner-{i:02d}" for i in range(LEARNERS)]
    t0 = time.perf_counter()
    results = in_parallel(
        learner_morning, [(hub, n, repo.as_uri(), i % 2 == 0) for i, n in enumerate(names)]
    )
    cohort_s = time.perf_counter() - t0
    print(
        f"\nhub started in {started:.1f} s; {LEARNERS} learners spawned, pulled, ran {NOTEBOOK} and "
        f"submitted in {cohort_s:.1f} s"
    )
    for step in results[0]["timings"]:
        values = sorted(r["timings"][step] for r in results)
        print(f"  {step:<9} median {values[len(values) // 2]:5.1f} s  max {values[-1]:5.1f} s")
    return {"hub": hub, "repo": repo, "names": names, "results": {r["name"]: r for r in results}}


# -- tests --------------------------------------------------------------------------------------------------
@pytest.mark.hub
def test_every_learner_ran_the_workbook_and_saved_work_where_expected(workshop):
    hub = workshop["hub"]
    for name, r in workshop["results"].items():
        assert Path(r["path"]) == expected_work_path(hub, name, r["follow_config"]), r
        work = json.loads(Path(r["path"]).read_text("utf-8"))
        assert work["scenario"] == SCENARIO
        assert r["risk"] in [risk["title"] for risk in work["risks"]["risks"]]
    # nothing was written into the package or the repository we test from
    assert not (ROOT / "staffplus-work").exists()
    assert not any((ROOT / "workbooks").glob("staffplus-work"))


@pytest.mark.hub
def test_debrief_counts_every_submission(workshop):
    hub, names = workshop["hub"], workshop["names"]
    # one hand-in per learner, named by scenario, display name and the work file's learner id
    handed_in = {}
    for p in hub.shared.glob("*.json"):
        m = re.fullmatch(rf"{SCENARIO}--(.+)--([0-9a-f]{{12}})\.json", p.name)
        assert m, p.name
        assert m.group(1) not in handed_in, f"two hand-ins for {m.group(1)}"
        handed_in[m.group(1)] = p
    assert sorted(handed_in) == sorted(names)
    data = debrief(hub.shared)
    assert data["files"]["counted"] == LEARNERS and data["files"]["seen"] == LEARNERS, data["files"]
    assert data["rejected"] == []
    [section] = data["scenarios"]
    assert section["id"] == SCENARIO and section["learners"] == LEARNERS
    assert sorted(row["learner"] for row in section["roster"]) == names
    for name in names:
        submitted = json.loads(handed_in[name].read_text("utf-8"))
        assert submitted["submission"]["name"] == name
        assert workshop["results"][name]["risk"] in [
            r["title"] for r in submitted["risks"]["risks"]
        ]


@pytest.mark.hub
def test_the_workshop_link_opens_nbgitpuller_through_the_hub(workshop):
    from staffplus_widgets.cli.workshop import workshop_link

    hub = workshop["hub"]
    name = workshop["names"][0]
    browser = Learner(hub, name).browser()
    # the page only renders (its script would start the pull): no traffic leaves 127.0.0.1
    link = workshop_link(
        hub.url,
        "https://github.com/staffplus/staffplus-workbook",
        notebook="workbooks/01_payments_fraud.ipynb",
    )
    r = browser.get(link, timeout=30)  # hub user-redirect, then the server's OAuth, then the page
    browser.close()
    assert r.status_code == 200, (r.status_code, r.url)
    assert r.url.startswith(f"{hub.url}/user/{name}/git-pull?"), r.url
    assert "staffplus-workbook/workbooks/01_payments_fraud.ipynb" in r.text


@pytest.mark.hub
def test_second_pull_brings_the_update_and_keeps_every_learners_work(workshop):
    hub, repo, names = workshop["hub"], workshop["repo"], workshop["names"]
    homes = {n: hub.homes / n for n in names}
    work_dirs = {
        n: [homes[n] / "staffplus-work", homes[n] / CONTENT_NAME / "workbooks" / "staffplus-work"]
        for n in names
    }
    before = {n: {str(d): sha256_tree(d) for d in dirs} for n, dirs in work_dirs.items()}
    for n, r in workshop["results"].items():  # the hashes cover the file each learner saved
        path = Path(r["path"])
        assert path.name in before[n][str(path.parent)], (n, path)

    marker = f"update {time.time_ns()}"
    commit_update(repo, "workbooks/00_start_here.ipynb", marker)

    def pull_again(hub: Hub, name: str) -> list[dict[str, Any]]:
        me = hub.learner(name)
        try:
            events = me.pull(repo.as_uri())
            start_here = me.contents(START_HERE)["content"]
            assert any(marker in "".join(c["source"]) for c in start_here["cells"]), (
                f"{name}: no update"
            )
            mine = me.contents(NOTEBOOK)["content"]
            assert mine["cells"][-1]["source"] == NOTE, (
                f"{name}: the learner's notebook edit was lost"
            )
            return events
        finally:
            me.close()

    all_events = in_parallel(pull_again, [(hub, n) for n in names])
    for n, events in zip(names, all_events):
        output = "".join(e.get("output", "") for e in events)
        assert "Renamed" not in output, output  # nothing of the learner's was moved out of the way
        after = {str(d): sha256_tree(d) for d in work_dirs[n]}
        assert after == before[n], f"{n}: work files changed by the pull"
        status = git("status", "--porcelain", cwd=homes[n] / CONTENT_NAME)
        assert "staffplus-work" not in status, status  # git-ignored: nbgitpuller never commits it
    # the submissions folder is outside every clone and unchanged too: the debrief still counts all
    assert debrief(hub.shared)["files"]["counted"] == LEARNERS


# -- the deployment files agree with each other and with what we measured ---------------------------------
def _example_constants() -> dict[str, Any]:
    tree = ast.parse(DEPLOY_CONFIG.read_text("utf-8"))
    return {
        t.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name) and isinstance(node.value, ast.Constant)
    }


def test_values_yaml_matches_the_single_machine_example():
    values = yaml.safe_load(VALUES.read_text("utf-8"))
    example = _example_constants()
    single = values["singleuser"]
    assert single["defaultUrl"] == f"/lab/tree/{example['CONTENT_DIR']}/{example['START_NOTEBOOK']}"
    assert (ROOT / example["START_NOTEBOOK"]).is_file()
    assert single["memory"] == {
        "guarantee": example["MEM_GUARANTEE"],
        "limit": example["MEM_LIMIT"],
    }
    assert single["extraEnv"]["STAFFPLUS_WORK_DIR"] == "/home/jovyan/staffplus-work"
    shell, flag, script = single["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert (shell, flag) == ("sh", "-c")
    assert script.split()[:4] == [
        "gitpuller",
        example["CONTENT_REPO"],
        example["CONTENT_BRANCH"],
        example["CONTENT_DIR"],
    ]
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    volumes = {v["name"] for v in single["storage"]["extraVolumes"]}
    assert "submissions" in mounts and "submissions" in volumes


def test_readme_instructors_section_covers_the_workshop():
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("<!-- instructors:start -->", 1)[1].split("<!-- instructors:end -->", 1)[0]
    for needle in (
        "Binder",
        "00_start_here.ipynb",
        "staffplus workshop-link",
        "staffplus submit",
        "staffplus debrief",
        "per GB",
        "deploy/jupyterhub/",
    ):
        assert needle in section, needle
    example = _example_constants()
    assert example["MEM_GUARANTEE"] in section and example["MEM_LIMIT"] in section
