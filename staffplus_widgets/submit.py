"""Hand in a work file: an atomic copy into a shared folder that never overwrites anyone else's.

The copy is named ``<scenario>--<name-slug>.json``; ``name`` defaults to the work file's ``learner``
field, else the OS user. The copy is the validated (and, for old files, upgraded) work document plus
a ``submission`` record ``{"name", "learner", "user", "submitted"}`` that says whose it is, and the
review of the written answer made at hand-in (``reviews``, see ``feedback.review_record``).

Who owns a file is the pair (submitted name, ``learner`` field):

- a free name is taken with ``os.link`` from a fsynced temp file in the same folder, which fails
  instead of replacing a file that appeared in the meantime (``os.rename`` would replace it);
- a name held by the *same* learner (same name and same ``learner`` field) is replaced atomically
  with ``os.replace``: re-submitting updates your own copy;
- a name held by anyone else, or by something that is not a readable work file (a symlink, a
  folder, a corrupt file), is left alone and the next numeric suffix is tried (``--ann-2.json``).

On a file system without hard links the name is reserved with ``O_CREAT | O_EXCL`` and the temp
file is renamed over the empty placeholder, which still never replaces another learner's file.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import workfile
from .errors import StaffplusError

MAX_SUFFIX = 1000
FILE_MODE = 0o644  # the instructor reading the shared folder is usually another user


@dataclass(frozen=True)
class Submission:
    """Where a submission went, and whether it replaced the learner's own earlier copy."""

    path: Path
    name: str
    replaced: bool


def os_user() -> str:
    """The login name, or "learner" when the OS cannot say (some containers have no passwd entry)."""
    try:
        return getpass.getuser() or "learner"
    except (KeyError, OSError, ImportError):
        return "learner"


def _clean(text: Any) -> str:
    return " ".join(text.split()) if isinstance(text, str) else ""


def submission_name(work: dict[str, Any], name: str | None = None) -> str:
    """The name a submission is filed under: ``name``, else the ``learner`` field, else the JupyterHub
    user (on a hub every learner may share one OS account, e.g. ``jovyan``), else the OS user."""
    for candidate in (name, work.get("learner"), os.environ.get("JUPYTERHUB_USER"), os_user()):
        cleaned = _clean(candidate)
        if cleaned:
            if len(cleaned) > 120:
                raise StaffplusError("name", "is longer than 120 characters", cleaned[:40])
            return cleaned
    return "learner"  # pragma: no cover - os_user() never returns an empty name


def owner(doc: dict[str, Any]) -> tuple[str, str]:
    """(submitted name, learner field) of a work document; files not made by submit use the learner field."""
    learner = _clean(doc.get("learner"))
    record = doc.get("submission")
    name = _clean(record.get("name")) if isinstance(record, dict) else ""
    return (name or learner, learner)


def _existing_owner(path: Path) -> tuple[str, str] | None:
    """Owner of the regular work file at ``path``; None for anything we must not replace."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > workfile.MAX_BYTES:
            return None
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        try:
            raw = workfile.read_upto(fd, st.st_size + 1, workfile.MAX_BYTES + 1)
        finally:
            os.close(fd)
        doc = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != workfile.FORMAT:
        return None
    return owner(doc)


def _claim(tmp: str, target: Path) -> bool:
    """Give ``tmp`` the name ``target`` only if nothing has it. False if the name is taken."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError:
        # no hard links here (some network and FAT file systems): reserve the name, then rename over it
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            return False
        os.close(fd)
        os.replace(tmp, target)
        return True
    os.unlink(tmp)
    return True


def answer_reviews(work: dict[str, Any], pack: Any = None) -> dict[str, Any]:
    """``{"mock_answer": feedback.review_record(...)}`` for a non-empty written answer.

    Empty when there is no answer or the scenario is not known here (the debrief then reviews the
    text itself, as it does for files put in the folder by hand).
    """
    from .feedback import review_record
    from .scenario import get_scenario

    answer = (work.get("answers") or {}).get("mock_answer")
    if not isinstance(answer, str) or not answer.strip():
        return {}
    try:
        scenario = (
            pack.get(work["scenario"]) if pack is not None else get_scenario(work["scenario"])
        )
    except StaffplusError:
        return {}
    return {"mock_answer": review_record(scenario, answer)}


def candidate_names(scenario_id: str, name: str) -> list[str]:
    base = f"{workfile.slug(scenario_id)}--{workfile.slug(name)}"
    return [f"{base}.json"] + [f"{base}-{n}.json" for n in range(2, MAX_SUFFIX + 1)]


def submit(
    work_path: str | os.PathLike[str],
    directory: str | os.PathLike[str],
    name: str | None = None,
    *,
    pack: Any = None,
    submitted: str | None = None,
) -> Submission:
    """Copy the work file at ``work_path`` into ``directory`` atomically.

    Parameters
    ----------
    work_path : path
        The learner's work file; it is validated (``workfile.parse``) and never changed.
    directory : path
        The shared submissions folder; it must exist.
    name : str, optional
        The name to file the submission under (default: the ``learner`` field, else the OS user).
    pack : ScenarioPack, optional
        When given, the work's scenario must be one of its scenarios.
    submitted : str, optional
        ISO timestamp recorded in the copy (default: now, UTC).

    Returns
    -------
    Submission
        The path written, the name used, and whether it replaced the learner's own earlier copy.

    Raises
    ------
    StaffplusError
        The work file is unreadable, too large or invalid, its scenario is unknown, the folder does
        not exist, or no free name is left (one-line message naming the problem).
    """
    from .export import read_work

    folder = Path(directory)
    if not folder.is_dir():
        raise StaffplusError(str(folder), "is not an existing folder", None, has_value=False)
    work = read_work(work_path)
    if pack is not None:
        pack.get(work["scenario"])
    filed_as = submission_name(work, name)
    learner = _clean(work.get("learner"))
    doc = dict(work)
    doc.pop("reviews", None)  # a review is only ever the one made here, from the text handed in
    reviews = answer_reviews(work, pack)
    if reviews:
        doc["reviews"] = reviews
    doc["submission"] = {
        "name": filed_as,
        "learner": learner,
        "user": os_user(),
        "submitted": submitted or workfile._now(),
    }
    try:
        data = workfile.dumps(doc).encode("utf-8")
    except UnicodeEncodeError:
        # a lone surrogate from a JSON escape: keep it escaped, the copy still parses to the same work
        data = json.dumps(doc, ensure_ascii=True, indent=1, allow_nan=False).encode("ascii")
    if len(data) > workfile.MAX_BYTES:
        raise StaffplusError(
            "work", f"is larger than {workfile.MAX_BYTES // (1024 * 1024)} MB", len(data)
        )
    me = (filed_as, learner)
    tmp = workfile.write_temp(folder, data, prefix=".submit-", mode=FILE_MODE)
    try:
        for file_name in candidate_names(work["scenario"], filed_as):
            target = folder / file_name
            if _claim(tmp, target):
                workfile.fsync_dir(folder)
                return Submission(target, filed_as, False)
            if _existing_owner(target) == me:
                os.replace(tmp, target)
                workfile.fsync_dir(folder)
                return Submission(target, filed_as, True)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    raise StaffplusError(
        str(folder),
        f"has no free name left for {filed_as!r} (tried {MAX_SUFFIX})",
        None,
        has_value=False,
    )
