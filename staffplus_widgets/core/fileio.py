"""Reading and writing learner and instructor files safely: the one way files are touched.

- ``read_regular``: the bytes of a regular file, never following a symbolic link, never waiting on
  a FIFO or a device, refusing anything over a size cap before reading it. Every command, the
  widgets, ``submit`` and the debrief read work, answer and scenario files through it.
- ``write_atomic``: a temp file in the same folder, fsync, ``os.replace``, fsync of the folder, so
  a crash leaves the old file or the new one, never a torn one. While a temp file is being written
  its writer holds an advisory lock on it, so ``remove_stale_temps`` can tell a temp file left by
  a crashed writer (no lock) from one another process is writing right now (locked).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from pathlib import Path

from .errors import StaffplusError

try:  # advisory locks: POSIX only; elsewhere stale temp files are judged by age
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
if not hasattr(fcntl, "flock"):  # Pyodide (JupyterLite) has an fcntl module without flock
    fcntl = None  # type: ignore[assignment]

STALE_AFTER_S = 600  # without locks: a temp file this old has no live writer
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_regular(
    path: str | os.PathLike[str], limit: int, *, what: str = "file", follow_links: bool = False
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises StaffplusError (field: the path) for a missing or unreadable file, a symbolic link
    (unless ``follow_links``: scenario files may be linked into a folder), a FIFO, socket or device
    (never opened in a way that could block), and a file over ``limit``.
    """
    where = str(path)
    try:
        st = os.stat(path) if follow_links else os.lstat(path)
    except FileNotFoundError:
        raise StaffplusError(where, "does not exist", None, has_value=False) from None
    except OSError as exc:
        raise StaffplusError(
            where, f"cannot be read: {exc.strerror or exc}", None, has_value=False
        ) from None
    if stat.S_ISLNK(st.st_mode):
        raise StaffplusError(
            where, f"is a symbolic link; a {what} must be a regular file (not followed)", None,
            has_value=False,
        )  # fmt: skip
    if not stat.S_ISREG(st.st_mode):
        raise StaffplusError(
            where, f"is not a regular file (a {what} must be one)", None, has_value=False
        )
    if st.st_size > limit:
        raise StaffplusError(where, f"is larger than {_size(limit)}; not read", st.st_size)
    try:
        # O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO after lstat is neither
        # followed nor waited on
        fd = os.open(path, _OPEN_FLAGS & ~(os.O_NOFOLLOW if follow_links else 0))
    except OSError as exc:
        raise StaffplusError(
            where, f"cannot be read: {exc.strerror or exc}", None, has_value=False
        ) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise StaffplusError(
                where, f"is not a regular file (a {what} must be one)", None, has_value=False
            )
        raw = read_upto(fd, min(st.st_size, limit) + 1, limit + 1)
    except OSError as exc:
        raise StaffplusError(
            where, f"cannot be read: {exc.strerror or exc}", None, has_value=False
        ) from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise StaffplusError(where, f"is larger than {_size(limit)}; not read", len(raw))
    return raw


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1000} kB"


def read_upto(fd: int, expect: int, cap: int) -> bytes:
    """At most ``cap`` bytes of ``fd``, asking first for the ``expect`` its size promises.

    (A buffered ``read(cap)`` would allocate the whole cap, 5 MB, for every 20 KB file.)
    """
    chunks = [os.read(fd, expect)]
    n = len(chunks[0])
    while chunks[-1] and n < cap:  # the file grew since fstat: read on, a chunk at a time
        chunks.append(os.read(fd, min(cap - n, 1 << 16)))
        n += len(chunks[-1])
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def temp_prefix(target: str | os.PathLike[str]) -> str:
    """The name prefix of the temp files that ``write_atomic`` makes for ``target``."""
    return f".{Path(target).name}."


def write_temp(
    folder: str | os.PathLike[str], data: bytes, *, prefix: str, mode: int | None = None
) -> tuple[str, int]:
    """``data`` in a new temp file in ``folder``, fsynced (and chmod-ed to ``mode``).

    Returns (path, fd): the file stays open and locked until ``release``, so nobody takes it for
    a crashed writer's leftover. The caller gives it its final name, then releases it.
    """
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        _lock(fd)
        _write_all(fd, data)
        fsync_file(fd)
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp, fd


#: errors that mean "this file system does not do that", not "the data is not on disk"
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOTTY}


def fsync_file(fd: int) -> None:
    """``os.fsync(fd)``; a file system that has no fsync (a browser's storage in JupyterLite,
    some FUSE and network mounts) is not an error, a failing disk (EIO, ENOSPC) is."""
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED:
            raise


def _lock(fd: int) -> None:
    """Take the writer's advisory lock on ``fd``, where the file system has locks."""
    if fcntl is None:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED:
            raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def release(fd: int) -> None:
    """Close a ``write_temp`` file descriptor, which drops its lock; a failed close is ignored."""
    with contextlib.suppress(OSError):
        os.close(fd)  # closing drops the lock


def write_atomic(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> Path:
    """Temp file in the same folder, fsync, os.replace, fsync the folder: old or new, never torn."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp, fd = write_temp(p.parent, data, prefix=temp_prefix(p), mode=mode)
    try:
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        release(fd)
    fsync_dir(p.parent)
    return p


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Flush a folder's entries to disk so a rename in it is durable; failures are ignored."""
    # the rename itself is durable only once the directory entry is on disk
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_temps(target: str | os.PathLike[str]) -> list[Path]:
    """Delete the temp files a crashed ``write_atomic`` of ``target`` left behind.

    A temp file whose writer is alive is locked and kept; without locks (no ``fcntl``), only
    files older than ``STALE_AFTER_S`` are removed. Returns what was removed.
    """
    p = Path(target)
    prefix = temp_prefix(p)
    removed: list[Path] = []
    try:
        names = os.listdir(p.parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        tmp = p.parent / name
        if _stale(tmp):
            with contextlib.suppress(OSError):
                os.unlink(tmp)
                removed.append(tmp)
    return removed


def _stale(tmp: Path) -> bool:
    try:
        st = os.lstat(tmp)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    old = time.time() - st.st_mtime > STALE_AFTER_S
    if fcntl is None:
        return old
    try:
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        return old if exc.errno in _UNSUPPORTED else False  # else a live writer holds it
    finally:
        os.close(fd)
    return True


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]):
    """Hold an exclusive advisory lock on ``path``'s lock file (``.NAME.lock``) for a
    read-merge-write; a no-op where advisory locks do not exist (a single process there)."""
    p = Path(path)
    if fcntl is None:
        yield
        return
    lock = p.with_name(f".{p.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        yield  # a read-only folder: the save that follows will report it
        return
    try:
        _lock(fd)  # where the file system has no locks, a browser tab's one kernel writes alone
        yield
    finally:
        os.close(fd)
