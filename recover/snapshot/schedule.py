"""``--print-cron`` / ``--print-systemd``: what repeats this very snapshot unattended."""

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


SERVICE = """[Unit]
Description=Snapshot of {site} (recover)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart={command}
Nice=10
IOSchedulingClass=idle
"""

TIMER = """[Unit]
Description=Daily snapshot of {site} (recover)

[Timer]
OnCalendar=*-*-* {hour:02d}:{minute:02d}:00
RandomizedDelaySec=30m
Persistent=true

[Install]
WantedBy=timers.target
"""


def systemd_units(
    site: str, host: str, folder: Path, options: list[str], hour: int = 3, units: Path | None = None
) -> str:
    """Write a systemd user service and timer for this snapshot; return them and how to enable.

    They go to ``~/.config/systemd/user/`` (``units``), named after the host, with the
    absolute path of ``recover`` and of the snapshots folder, every flag kept.
    """
    minute = zlib.crc32(host.encode("utf-8")) % 60
    folder = folder.resolve()
    argv = [recover_command(), "snapshot", site, "--out", str(folder), *options]
    command = " ".join(a if a == argv[0] else shlex.quote(a) for a in argv)
    name = "recover-snapshot-" + "".join(c if c.isalnum() else "-" for c in host)
    units = units or Path.home() / ".config" / "systemd" / "user"
    units.mkdir(parents=True, exist_ok=True)
    service = SERVICE.format(site=site, command=command)
    timer = TIMER.format(site=site, hour=hour, minute=minute)
    (units / f"{name}.service").write_text(service, encoding="utf-8")
    (units / f"{name}.timer").write_text(timer, encoding="utf-8")
    return (
        f"# {units / (name + '.service')}\n{service}\n# {units / (name + '.timer')}\n{timer}\n"
        f"# written; enable with:\n#   systemctl --user daemon-reload\n"
        f"#   systemctl --user enable --now {name}.timer\n#   loginctl enable-linger $USER"
    )
