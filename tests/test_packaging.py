"""The repository's set-up files agree with each other: pyproject, environment.yml, README, CI, Binder."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# conda-forge names of PyPI distributions where they differ
CONDA_NAMES = {"matplotlib": "matplotlib-base", "pyyaml": "pyyaml"}


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0].strip().lower()


def test_layout_exists():
    for name in (
        "workbooks",
        "staffplus_widgets",
        "solutions",
        "tests",
        "benchmarks",
        "environment.yml",
        "pyproject.toml",
        "README.md",
        ".ci/run",
        "postBuild",
        "staffplus_widgets/py.typed",
    ):
        assert (ROOT / name).exists(), name
    assert "staffplus-work/" in (ROOT / ".gitignore").read_text().splitlines()


def test_pyproject_metadata():
    meta = _pyproject()["project"]
    assert meta["name"] == "staffplus-workbook"
    assert meta["requires-python"] == ">=3.10"
    assert meta["scripts"]["staffplus"] == "staffplus_widgets.cli:main"
    runtime = {_name(r) for r in meta["dependencies"]}
    assert runtime == {"ipywidgets", "matplotlib", "nbformat", "numpy", "pyyaml"}
    test_extra = {_name(r) for r in meta["optional-dependencies"]["test"]}
    assert {"jupyterlab", "papermill", "nbval", "pytest", "hypothesis", "playwright"} <= test_extra
    assert "--strict-markers" in _pyproject()["tool"]["pytest"]["ini_options"]["addopts"]


def test_environment_yml_agrees_with_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    names = {_name(d.replace("=", "==", 1) if "=" in d and ">" not in d else d): d for d in deps}
    python = [d for d in deps if d.startswith("python=")]
    assert python and re.fullmatch(r"python=3\.\d+", python[0]), "Python must be pinned"
    for req in _pyproject()["project"]["dependencies"]:
        name = _name(req)
        assert CONDA_NAMES.get(name, name) in names, f"{name} missing from environment.yml"
    ipyw = names["ipywidgets"].split("=")[1]
    labw = names["jupyterlab_widgets"].split("=")[1]
    assert ipyw.startswith("8.") and labw.startswith("3."), (
        "ipywidgets 8 pairs with jupyterlab_widgets 3"
    )
    assert names["jupyterlab"].split("=")[1].startswith("4.")
    # every dependency line carries a comment saying why it is there
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.strip().startswith("- ") and not line.strip().startswith("- conda-forge"):
            assert "#" in line, f"uncommented dependency: {line.strip()}"


def test_postbuild_installs_the_package():
    text = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps" in text and " -e ." in text
    assert (ROOT / "postBuild").stat().st_mode & 0o111


def _readme_commands():
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", text, re.S)
    return text, [b.strip() for b in blocks]


def test_readme_has_two_setup_commands_and_ci_runs_the_test_one():
    text, blocks = _readme_commands()
    setup = [b for b in blocks if b.startswith("python3 -m venv .venv")]
    assert len(setup) == 2, setup
    open_cmd, test_cmd = setup
    assert "jupyter lab" in open_cmd and "workbooks/00_start_here.ipynb" in open_cmd
    assert "[test]" in test_cmd and "pytest" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text()
    normalized = test_cmd.replace(" -q", "")
    assert normalized in ci.replace(" -q", ""), "the CI must run the README's test command"


def test_binder_badge_opens_start_here():
    text = (ROOT / "README.md").read_text()
    m = re.search(r"\(https://mybinder\.org/v2/gh/[^)\s]+\)", text)
    assert m, "Binder badge link missing"
    assert "urlpath=lab/tree/workbooks/00_start_here.ipynb" in m.group(0).replace("%2F", "/")


def test_the_installed_jupyterlab_gets_the_workshop_defaults():
    """The package ships JupyterLab settings overrides (no news pop-up or update check, no widget
    state saved into notebooks), and the environment the tests run in has them installed."""
    shared = _pyproject()["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    source = ROOT / next(k for k, v in shared.items() if v.endswith("lab/settings/overrides.json"))
    overrides = json.loads(source.read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": False}
    installed = Path(sys.prefix, "share", "jupyter", "lab", "settings", "overrides.json")
    assert json.loads(installed.read_text()) == overrides, "pip install -e . again"
