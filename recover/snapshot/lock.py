"""One snapshot at a time per folder: an advisory ``flock`` the kernel drops if we die."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

LOCK_FILE = ".recover-snapshot.lock"


class LockHeld(Exception):
    """Another snapshot holds the lock."""


class SnapshotLock:
    """``with SnapshotLock(folder):`` raises :class:`LockHeld` when another run is going."""

    def __init__(self, folder: Path, name: str = LOCK_FILE, what: str = "snapshot") -> None:
        self.path = folder / name
        self.what = what  # what holds it, for the message: "another <what> is running"
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                pid = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            finally:
                os.close(fd)
            raise LockHeld(
                f"another {self.what} is running in {self.path.parent} (pid {pid})"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SnapshotLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
