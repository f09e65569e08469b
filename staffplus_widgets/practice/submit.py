"""Hand in a work file: an atomic copy into a shared folder that never replaces anyone else's.

The copy is named ``<scenario>--<name-slug>--<id>.json``: ``name`` defaults to the work file's
``learner`` field, else the JupyterHub user, else the OS user; ``<id>`` is the start of the work
file's random ``learner_id``, so names are not guessable and two learners called Ann never collide.
The copy is the validated (and, for old files, upgraded) work document plus a ``submission``
record ``{"name", "learner", "learner_id", "user", "submitted"}`` that says whose it is, and the
review of the written answer made at hand-in (``reviews``, see ``feedback.review_record``).

Who owns a copy is its ``learner_id``, never a display name (on Zero to JupyterHub every learner is
the OS user ``jovyan``, and names repeat):

- a free name is taken with ``os.link`` from a fsynced temp file in the same folder, which fails
  instead of replacing a file that appeared in the meantime (``os.rename`` would replace it);
- a name held by the *same* learner (same ``learner_id``) is replaced atomically with
  ``os.replace``: re-submitting updates your own copy;
- a name held by anyone else, by a file without an id, by something that is not a readable work
  file (a symlink, a folder, a corrupt file), or one the OS will not let us replace (another
  user's file in a sticky folder), is left alone and the next numeric suffix is tried.

Copies are private: mode ``0600`` (only their owner, and root, can read them), or ``0640`` when the
folder has the set-group-id bit, so the folder's group (the instructors) can read them and other
learners cannot. See deploy/jupyterhub/README.md for the folder modes.

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
from typing import TYPE_CHECKING, Any

from .. import workfile
from ..core import fileio
from ..core.errors import StaffplusError

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import ScenarioPack

MAX_SUFFIX = 1000
PRIVATE_MODE = 0o600  # only the learner who handed it in (and root)
GROUP_MODE = 0o640  # and the folder's group, in a set-group-id folder: the instructors
ID_CHARS = 12  # of the learner id in the file name: 48 random bits, not guessable


def file_mode(folder: Path) -> int:
    """0640 in a set-group-id folder (its group reads hand-ins), else 0600."""
    try:
        return GROUP_MODE if os.stat(folder).st_mode & stat.S_ISGID else PRIVATE_MODE
    except OSError:
        return PRIVATE_MODE


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


def learner_id(doc: dict[str, Any]) -> str | None:
    """The random id a work document carries (its ``learner_id``), if it has a well-formed one."""
    value = doc.get("learner_id")
    if isinstance(value, str) and len(value) == 32 and all(c in "0123456789abcdef" for c in value):
        return value
    return None


def _existing_id(path: Path) -> str | None:
    """The learner id of the regular work file at ``path``; None for anything we must not replace."""
    try:
        doc = json.loads(workfile.read_bytes(path))
    except (StaffplusError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != workfile.FORMAT:
        return None
    return learner_id(doc)


def _claim(tmp: str, target: Path) -> bool:
    """Give ``tmp`` the name ``target`` only if nothing has it. False if the name is taken."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError:
        # no hard links here (some network and FAT file systems): reserve the name, then rename over it
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
        except FileExistsError:
            return False
        os.close(fd)
        os.replace(tmp, target)
        return True
    os.unlink(tmp)
    return True


def answer_reviews(work: dict[str, Any], pack: ScenarioPack | None = None) -> dict[str, Any]:
    """``{"mock_answer": feedback.review_record(...)}`` for a non-empty written answer.

    Empty when there is no answer or the scenario is not known here (the debrief then reviews the
    text itself, as it does for files put in the folder by hand).
    """
    from ..data.scenario import get_scenario
    from ..feedback import review_record

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


def candidate_names(scenario_id: str, name: str, learner: str) -> list[str]:
    """The file names a submission may take, in order: the plain name, then numbered ones."""
    base = f"{workfile.slug(scenario_id)}--{workfile.slug(name)}--{learner[:ID_CHARS]}"
    return [f"{base}.json"] + [f"{base}-{n}.json" for n in range(2, MAX_SUFFIX + 1)]


def submit(
    work_path: str | os.PathLike[str],
    directory: str | os.PathLike[str],
    name: str | None = None,
    *,
    pack: ScenarioPack | None = None,
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
    folder = Path(directory)
    if not folder.is_dir():
        raise StaffplusError(str(folder), "is not an existing folder", None, has_value=False)
    work = workfile.read(work_path)
    if pack is not None:
        pack.get(work["scenario"])
    filed_as = submission_name(work, name)
    # a work file saved before ids existed gets one for this copy; it never replaces a copy
    mine = learner_id(work)
    copy_id = mine or workfile.new_learner_id()
    doc = dict(work)
    doc["learner_id"] = copy_id
    doc.pop("reviews", None)  # a review is only ever the one made here, from the text handed in
    reviews = answer_reviews(work, pack)
    if reviews:
        doc["reviews"] = reviews
    doc["submission"] = {
        "name": filed_as,
        "learner": _clean(work.get("learner")),
        "learner_id": copy_id,
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
    try:
        tmp, fd = fileio.write_temp(folder, data, prefix=".submit-", mode=file_mode(folder))
    except OSError as exc:
        raise StaffplusError(
            str(folder), f"cannot be written: {exc.strerror or exc}", None, has_value=False
        ) from None
    try:
        for file_name in candidate_names(work["scenario"], filed_as, copy_id):
            target = folder / file_name
            if _claim(tmp, target):
                fileio.fsync_dir(folder)
                return Submission(target, filed_as, False)
            if mine is not None and _existing_id(target) == mine:
                try:
                    os.replace(tmp, target)
                except PermissionError:
                    continue  # the OS says it is not ours to replace (a sticky folder): next name
                fileio.fsync_dir(folder)
                return Submission(target, filed_as, True)
    finally:
        fileio.release(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    raise StaffplusError(
        str(folder),
        f"has no free name left for {filed_as!r} (tried {MAX_SUFFIX})",
        None,
        has_value=False,
    )
