"""Build a JupyterLite site of the learner workbooks: ``staffplus lite build OUTDIR``.

The site runs the workbooks in the browser with the Pyodide kernel, and keeps the learner's work
in the browser's storage (JupyterLite's ``/drive``). Everything the first cell needs is in the
site, so it starts with no install step and without the internet:

- The Pyodide core from the npm ``pyodide`` package (at the version jupyterlite-pyodide-kernel
  expects). That package has no wheels at all, not even micropip.
- The pure-Python wheels the kernel loads when it starts (micropip, IPython and what it depends
  on, jedi), from PyPI at the versions Pyodide's lock file names. PyPI's files are not byte for
  byte Pyodide's own copies, so their lock entries get the new file names and sha256.
- This package as a wheel built from the installed files, with ipywidgets, comm and a pure-Python
  PyYAML (from its source archive: its PyPI wheels are compiled, and our loader falls back to
  ``SafeLoader`` without libyaml), all loaded with the kernel. The wheel's metadata depends on
  ipywidgets and PyYAML only: the workbooks never import numpy, matplotlib or nbformat.
- Every other lock entry points at Pyodide's CDN, so a deployed site can still load, say, numpy
  when a learner asks for it; nothing the workbooks run loads one.

Widget state is never saved into notebooks, and JupyterLab's news and update checks are off. The
downloads are cached (``--cache``, default ``.cache/`` in the current folder).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._version import __version__
from ..core.errors import StaffplusError
from . import downloads
from .notebooks import read_notebook

DIST_NAME = "staffplus-workbook"
#: what pyodide-kernel loads from Pyodide's lock file when it starts, before piplite
KERNEL_START = ("micropip", "ipython", "jedi")
#: the packages a workbook imports that Pyodide's lock file does not provide as we need them:
#: name -> (the lock entries it depends on, the modules it provides)
SITE_PACKAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "comm": (("traitlets",), ("comm",)),
    # widgetsnbextension and jupyterlab_widgets are front-end files: the site has them already
    "ipywidgets": (("comm", "ipython", "traitlets"), ("ipywidgets",)),
    "pyyaml": ((), ("yaml", "_yaml")),
    DIST_NAME: (("ipywidgets", "pyyaml"), ("staffplus_widgets",)),
}
CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide.js",
    "package.json",
)
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: JupyterLab settings in the site (as jupyter-config/overrides.json sets them for a server)
SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": False},
}
BUILD_TIMEOUT = 600


@dataclass
class Site:
    """What ``build_site`` made: the folder, the workbooks in it and the preloaded packages."""

    folder: Path
    notebooks: list[str]
    packages: list[str]


def canonical(name: str) -> str:
    """A package name as the lock file's keys spell it (PEP 503: lower case, runs of -_. as -)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def learner_notebooks(workbooks: Path) -> list[Path]:
    """The workbooks in ``workbooks`` written for learners (not the instructor's debrief, which
    draws with matplotlib and reads a folder of hand-ins)."""
    found = []
    for path in sorted(workbooks.glob("*.ipynb")):
        meta = read_notebook(path).metadata.get("staffplus", {})
        if meta.get("audience", "learner") == "learner":
            found.append(path)
    if not found:
        raise StaffplusError(str(workbooks), "has no learner workbooks (*.ipynb)", None,
                             has_value=False)  # fmt: skip
    return found


# -- wheels ------------------------------------------------------------------------------------------
def write_wheel(
    folder: Path, name: str, version: str, files: dict[str, bytes], requires: tuple[str, ...] = ()
) -> Path:
    """A pure-Python wheel of ``files`` (archive name -> bytes) in ``folder``, with the metadata
    importlib.metadata reads (name, version, ``Requires-Dist``) and a RECORD of every file."""
    stem = f"{re.sub(r'[-_.]+', '_', name)}-{version}"
    info = f"{stem}.dist-info"
    metadata = "".join(
        ["Metadata-Version: 2.1\n", f"Name: {name}\n", f"Version: {version}\n"]
        + [f"Requires-Dist: {req}\n" for req in requires]
    )
    wheel_text = (
        "Wheel-Version: 1.0\nGenerator: staffplus lite\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    contents = dict(files)
    contents[f"{info}/METADATA"] = metadata.encode()
    contents[f"{info}/WHEEL"] = wheel_text.encode()
    record = [f"{arc},sha256={_digest(data)},{len(data)}" for arc, data in sorted(contents.items())]
    contents[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for arc, data in sorted(contents.items()):
            # a fixed date: the same files give the same wheel, and the same sha256 in the lock
            archive.writestr(zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return target


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def own_wheel(folder: Path) -> Path:
    """This package, as installed, in a wheel that needs only ipywidgets and PyYAML."""
    package = Path(__file__).resolve().parent.parent
    files = {
        f"{package.name}/{path.relative_to(package).as_posix()}": path.read_bytes()
        for path in sorted(package.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    return write_wheel(folder, DIST_NAME, __version__, files, ("ipywidgets>=8.1,<9", "pyyaml>=6.0"))


def pure_pyyaml(cache: Path, version: str) -> Path:
    """A pure-Python PyYAML wheel made from its source archive's ``lib/`` (no libyaml)."""
    sdist = downloads.pip_downloaded(
        cache / "sdist" / f"pyyaml-{version}", f"pyyaml=={version}", "*.tar.gz", wheel=False
    )
    files: dict[str, bytes] = {}
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if (
                member.isfile()
                and len(parts) > 3
                and parts[1] == "lib"
                and member.name.endswith(".py")
            ):
                files["/".join(parts[2:])] = archive.extractfile(member).read()  # type: ignore[union-attr]
    if "yaml/__init__.py" not in files:
        raise downloads.Missing(f"{sdist.name} has no lib/yaml/__init__.py")
    return write_wheel(cache / "built", "PyYAML", version, files)


def _closure(packages: dict[str, Any], roots: tuple[str, ...]) -> list[str]:
    """``roots`` and every lock entry they depend on, directly or not."""
    seen: list[str] = []
    todo = [canonical(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise StaffplusError("pyodide-lock.json", "has no package named", name)
        seen.append(name)
        todo.extend(canonical(d) for d in packages[name]["depends"])
    return sorted(seen)


def kernel_wheels(cache: Path, packages: dict[str, Any], python: str) -> dict[str, Path]:
    """The PyPI wheel of every lock entry the kernel loads when it starts, at the lock's version."""
    wheels = {}
    for name in _closure(packages, KERNEL_START):
        entry = packages[name]
        if not entry["file_name"].endswith("-none-any.whl"):
            raise StaffplusError(
                "pyodide-lock.json", "lists a compiled package the kernel needs", name
            )
        wheels[name] = _pypi_wheel(cache, name, entry["version"], python)
    return wheels


def _pypi_wheel(cache: Path, name: str, version: str, python: str) -> Path:
    folder = cache / "wheels" / f"{name}-{version}"  # one folder each: one file matches
    return downloads.pip_downloaded(folder, f"{name}=={version}", "*.whl", python=python)


def site_wheels(cache: Path, packages: dict[str, Any], python: str) -> dict[str, Path]:
    """The wheels of ``SITE_PACKAGES``: comm and ipywidgets from PyPI at the versions installed
    here (the site's widget front end is this environment's), PyYAML and this package built."""
    wheels = {}
    for name in ("comm", "ipywidgets"):
        version = importlib.metadata.version(name)
        wheels[name] = _pypi_wheel(cache, name, version, python)
    wheels["pyyaml"] = pure_pyyaml(cache, packages["pyyaml"]["version"])
    wheels[DIST_NAME] = own_wheel(cache / "built")
    return wheels


# -- the lock file -----------------------------------------------------------------------------------
def rewrite_lock(lock: dict[str, Any], local: dict[str, Path], cdn: str) -> dict[str, Any]:
    """Pyodide's lock with ``local`` (name -> wheel beside the lock file) as its own entries, with
    their file names and sha256, and every other entry at ``cdn``."""
    packages = {}
    for name, entry in lock["packages"].items():
        entry = dict(entry)
        if not re.match(r"^https?://", entry["file_name"]):
            entry["file_name"] = f"{cdn.rstrip('/')}/{entry['file_name']}"
        packages[name] = entry
    for name, wheel in local.items():
        entry = dict(packages.get(name) or _new_entry(name))
        entry["file_name"] = wheel.name
        entry["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
        entry["version"] = wheel.name.split("-")[1]
        packages[name] = entry
    return {**lock, "packages": dict(sorted(packages.items()))}


def _new_entry(name: str) -> dict[str, Any]:
    depends, imports = SITE_PACKAGES[name]
    return {
        "name": name,
        "version": "",
        "file_name": "",
        "install_dir": "site",
        "sha256": "",
        "package_type": "package",
        "imports": list(imports),
        "depends": list(depends),
        "unvendored_tests": False,
    }


# -- the site ----------------------------------------------------------------------------------------
def build_site(outdir: Path, workbooks: Path, cache: Path) -> Site:
    """Build the JupyterLite site of the learner workbooks in ``workbooks`` into ``outdir``.

    Downloads (npm, PyPI) go to ``cache`` once; a second build reads them from there. Raises
    StaffplusError for bad input and ``downloads.Missing`` when a download or the build fails.
    """
    from jupyterlite_pyodide_kernel import constants  # the build tools: imported on use

    outdir, cache = outdir.resolve(), cache.resolve()
    notebooks = learner_notebooks(workbooks)
    stage = cache / "lite-stage"
    shutil.rmtree(stage, ignore_errors=True)
    pyodide = stage / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    core = downloads.npm_installed(
        cache / "pyodide", f"pyodide@{constants.PYODIDE_VERSION}", "node_modules/pyodide"
    )
    for name in CORE_FILES:
        shutil.copy2(core / name, pyodide / name)
    lock = json.loads((core / "pyodide-lock.json").read_text(encoding="utf-8"))
    python = ".".join(lock["info"]["python"].split(".")[:2])
    local = kernel_wheels(cache, lock["packages"], python)
    local.update(site_wheels(cache, lock["packages"], python))
    for wheel in local.values():
        shutil.copy2(wheel, pyodide / wheel.name)
    new_lock = rewrite_lock(lock, local, constants.PYODIDE_CDN_URL)
    (pyodide / "pyodide-lock.json").write_text(json.dumps(new_lock), encoding="utf-8")

    content = stage / "content"
    content.mkdir()
    for path in notebooks:
        shutil.copy2(path, content / path.name)
    preload = sorted(local)
    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "staffplus workbooks",
            "litePluginSettings": {KERNEL_PLUGIN: {"loadPyodideOptions": {"packages": preload}}},
        },
    }
    (stage / "jupyter-lite.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    (stage / "overrides.json").write_text(json.dumps(SETTINGS, indent=1), encoding="utf-8")
    _jupyter_lite_build(stage, content, outdir)
    return Site(outdir, [p.name for p in notebooks], preload)


def _jupyter_lite_build(stage: Path, content: Path, outdir: Path) -> None:
    if outdir.exists():
        shutil.rmtree(outdir)
    command = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(stage)]
    command += ["--contents", str(content), "--output-dir", str(outdir)]
    command += ["--no-sourcemaps", "--no-unused-shared-packages"]
    try:
        done = subprocess.run(
            command, cwd=stage, capture_output=True, text=True, timeout=BUILD_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise downloads.Missing(f"jupyter lite build failed: {exc}") from None
    if done.returncode != 0 or not (outdir / "index.html").exists():
        raise downloads.Missing(
            f"jupyter lite build failed:\n{(done.stdout + done.stderr)[-3000:]}"
        )
