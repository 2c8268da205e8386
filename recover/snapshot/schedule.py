"""``--print-cron``: the crontab line that repeats this very snapshot unattended."""

from __future__ import annotations

import shlex
import shutil
import sys
import zlib
from pathlib import Path


def recover_command() -> str:
    """An absolute way to start ``recover`` (cron's PATH is short)."""
    found = shutil.which("recover")
    if found:
        return str(Path(found).resolve())
    return f"{shlex.quote(sys.executable)} -m recover.cli"


def cron_line(site: str, host: str, folder: Path, options: list[str], hour: int = 3) -> str:
    """A daily crontab line; the minute comes from the host so many blogs do not all run at :00.

    Output goes to ``<folder>/snapshot.log``; failures exit non-zero with one line there.
    """
    minute = zlib.crc32(host.encode("utf-8")) % 60
    folder = folder.resolve()
    argv = [recover_command(), "snapshot", site, "--out", str(folder), *options]
    command = " ".join(a if a == argv[0] else shlex.quote(a) for a in argv)
    log = shlex.quote(str(folder / "snapshot.log"))
    return f"{minute} {hour} * * * {command} >> {log} 2>&1"
