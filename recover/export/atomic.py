"""Crash-safe writes: a reader (or a killed run) sees the old complete output or the new one.

Files are written to a temporary sibling, flushed and fsynced, then ``os.replace``-d over
the target. A folder's whole set of files is built in a staging sibling and swapped in
(atomically with ``renameat2(RENAME_EXCHANGE)`` on Linux, else two renames that the next run
completes if it was interrupted between them).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

_TMP_SUFFIX = ".tmp"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale_temps(path: Path) -> None:
    """Remove temp files a killed writer of ``path`` left behind."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for tmp in path.parent.iterdir():
            name = tmp.name
            if not (name.startswith(prefix) and name.endswith(_TMP_SUFFIX)):
                continue
            pid = name[len(prefix) : -len(_TMP_SUFFIX)].split(".", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                with contextlib.suppress(OSError):
                    tmp.unlink()


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: int = 0o644) -> Iterator[BinaryIO]:
    """Open a binary temp file that replaces ``path`` only when the block ends without error.

    On an exception (or a kill) the old ``path`` is left untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale_temps(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}{_TMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def atomic_write(path: str | os.PathLike[str], data: bytes | str, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` atomically (``str`` is encoded with ``encoding``)."""
    with atomic_open(path) as fh:
        fh.write(data.encode(encoding) if isinstance(data, str) else data)


def write_json(fh: BinaryIO, doc: Any, *, indent: int | None = None, default: Any = None) -> None:
    """``doc`` as UTF-8 JSON into ``fh``, encoded piece by piece: a large document (every
    post of a blog) is never one string in memory. ``default`` as ``json.JSONEncoder``'s."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=indent, default=default)
    buffer: list[str] = []
    size = 0
    for piece in encoder.iterencode(doc):
        buffer.append(piece)
        size += len(piece)
        if size > 1 << 16:  # the pieces are small: 64K characters is ~1 MB of them
            fh.write("".join(buffer).encode("utf-8"))
            buffer, size = [], 0
    fh.write(("".join(buffer) + "\n").encode("utf-8"))


# -- whole folders ---------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False when the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    res = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if res == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _old_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def recover_dir(target: str | os.PathLike[str]) -> None:
    """Finish a folder swap a killed run left halfway; drop leftover staging folders."""
    target = Path(target)
    old = _old_name(target)
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, target)
    with contextlib.suppress(OSError):
        for tmp in target.parent.glob(f".{target.name}.*.new"):
            pid = tmp.name[len(target.name) + 2 : -4].split(".", 1)[0]
            if pid.isdigit() and not _pid_alive(int(pid)):
                shutil.rmtree(tmp, ignore_errors=True)


def _syncfs(path: Path) -> bool:
    """Flush the whole filesystem holding ``path`` (Linux syncfs(2)); False when unavailable."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        syncfs = ctypes.CDLL(libc_name, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return False
    try:
        return syncfs(fd) == 0
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """Every file and folder under ``root`` on disk: one syncfs where Linux has it (an fsync
    a file costs seconds for the thousands of files a blog's Markdown and comments make)."""
    if _syncfs(root):
        return
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            with contextlib.suppress(OSError):
                fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        _fsync_dir(Path(dirpath))


@contextlib.contextmanager
def replacing_dir(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty staging folder; when the block succeeds it becomes ``target``.

    Whatever ``target`` held before is replaced as a whole; on an error it is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_dir(target)
    staging = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.new")
    staging.mkdir()
    try:
        yield staging
        _fsync_tree(staging)
        if not target.exists():
            os.rename(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)
        else:
            old = _old_name(target)
            os.rename(target, old)
            os.rename(staging, target)
            _fsync_dir(target.parent)
            shutil.rmtree(old, ignore_errors=True)
        _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_dir_files(target: str | os.PathLike[str], files: dict[str, bytes | str]) -> None:
    """Make ``target`` hold exactly ``files`` (relative path -> content), all or nothing."""
    with replacing_dir(target) as staging:
        for rel, data in files.items():
            dest = staging / rel
            if staging.resolve() not in dest.resolve().parents:
                raise ValueError(f"path escapes the folder: {rel!r}")
            atomic_write(dest, data)
