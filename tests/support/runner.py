"""Run ``recover run`` in a subprocess the way a user does, and read what it wrote.

Scrapy's reactor starts once per process, so every recovery in the tests is a child
process: ``recover run SITE --archive PREFIX --out DIR -s NAME=JSON ...``.
:class:`NetworkLog` (a downloader middleware, added with ``network_log=``) writes every
request that really goes to the network (cache hits excluded) to a file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parents[2]
# As the ``recover`` script does (``python -m recover.cli`` imports cli twice: see report).
MAIN = "import sys; from recover.cli import main; sys.exit(main())"
TESTS = REPO / "tests"
# Short waits for tests: the defaults are for the Internet Archive.
FAST: dict[str, Any] = {
    "RECOVER_429_PAUSE": 0.5,
    "RECOVER_BACKOFF_BASE": 0.1,
    "RECOVER_BACKOFF_MAX": 1.0,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 3,
}


def env(proxy: str | None = None) -> dict[str, str]:
    """The child's environment: the repo and tests/ importable, no proxies but ``proxy``
    (an ``http_proxy``: a test's server answering for a named host, such as the Internet
    Archive's)."""
    out = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    if proxy:
        out["http_proxy"] = proxy
    out["PYTHONPATH"] = os.pathsep.join([str(REPO), str(TESTS), out.get("PYTHONPATH", "")])
    out["PYTHONWARNINGS"] = "ignore"
    return out


def command(
    site: str,
    archive: str,
    out: Path,
    *,
    rate: str = "cdx=0,replay=0",
    settings: Mapping[str, Any] | None = None,
    network_log: Path | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """The argv of one ``recover run``."""
    argv = [sys.executable, "-c", MAIN, "run", site, "--archive", archive]
    argv += ["--out", str(out), "--rate", rate, "--progress", "off", *extra]
    merged = dict(settings or {})
    if network_log is not None:
        from recover import settings as defaults

        mws = dict(defaults.DOWNLOADER_MIDDLEWARES)
        mws.update(merged.get("DOWNLOADER_MIDDLEWARES", {}))
        mws["support.runner.NetworkLog"] = 990
        merged["DOWNLOADER_MIDDLEWARES"] = mws
        merged["RECOVER_TEST_NETWORK_LOG"] = str(network_log)
    for name, value in merged.items():
        argv += ["-s", f"{name}={json.dumps(value)}"]
    return argv


def start(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Start a recovery; stdout and stderr go to ``log`` and ``log.err``."""
    return subprocess.Popen(
        argv,
        cwd=REPO,
        env=env(),
        stdout=open(log, "wb"),  # noqa: SIM115 (closed with the process)
        stderr=open(str(log) + ".err", "wb"),  # noqa: SIM115
        stdin=subprocess.DEVNULL,
    )


def run(
    argv: list[str], *, timeout: float = 240, proxy: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a recovery to its end."""
    return subprocess.run(
        argv,
        cwd=REPO,
        env=env(proxy),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# -- what a run wrote ------------------------------------------------------------------------

_ARCHIVE = re.compile(r"https?://127\.0\.0\.1:\d+/")


def normalized_posts(out: Path) -> set[str]:
    """posts.jsonl as a set of records, archive addresses (ports) folded to ``ARCHIVE/``."""
    lines = (out / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    return {
        _ARCHIVE.sub("ARCHIVE/", json.dumps(json.loads(line), sort_keys=True))
        for line in lines
        if line.strip()
    }


def post_urls(out: Path) -> set[str]:
    """Canonical URLs of the posts in posts.jsonl."""
    from recover.urls import canonical

    lines = (out / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    return {canonical(json.loads(line)["url"]) for line in lines if line.strip()}


def check_whole(out: Path) -> list[str]:
    """Problems with the output files as they are now (each must parse whole)."""
    problems = []
    # os.walk passes over a folder renamed away mid-walk (an atomic write's staging folder),
    # where Path.rglob raises and would end a watcher's thread
    found = [Path(root, name) for root, _dirs, names in os.walk(out) for name in names]
    for path in sorted(found):
        if not path.is_file() or ".recover" in path.parts or path.name.startswith("."):
            continue
        try:
            data = path.read_bytes()
            if path.suffix == ".jsonl":
                for line in data.decode("utf-8").splitlines():
                    if line.strip():
                        json.loads(line)
            elif path.suffix == ".json":
                json.loads(data)
            elif path.suffix == ".xml":
                ElementTree.fromstring(data)
            elif path.suffix == ".md":
                text = data.decode("utf-8")
                if text.startswith("---") and text.count("---") < 2:
                    raise ValueError("front matter not closed")
        except FileNotFoundError:
            continue  # replaced between listing and reading
        except Exception as exc:  # noqa: BLE001 (any failure to parse is the finding)
            problems.append(f"{path.relative_to(out)}: {type(exc).__name__}: {exc}")
    return problems


def network_requests(log: Path) -> list[str]:
    """URLs a run sent to the network (see :class:`NetworkLog`)."""
    if not log.exists():
        return []
    return [line for line in log.read_text(encoding="utf-8").splitlines() if line]


class NetworkLog:
    """Downloader middleware placed after the HTTP cache: logs requests that go out."""

    def __init__(self, path: str) -> None:
        self.fh = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115

    @classmethod
    def from_crawler(cls, crawler: Any) -> NetworkLog:
        return cls(crawler.settings.get("RECOVER_TEST_NETWORK_LOG"))

    def process_request(self, request: Any, spider: Any = None) -> None:
        if request.url.startswith(("http://", "https://")):
            self.fh.write(request.url + "\n")
        return None


# -- a reference run -------------------------------------------------------------------------

_CLEAN: dict[tuple[str, str], Path] = {}


def clean_run(sample: Any, archive: Any) -> Path:
    """The output folder of an uninterrupted, fault-free run over ``archive`` (made once);
    ``<out>/../network.log`` lists what it sent (see :class:`NetworkLog`), ``stdout.txt`` what
    it printed. Copy it before running again in it."""
    key = (str(sample.warc), archive.base_url)
    if key not in _CLEAN:
        import tempfile

        out = Path(tempfile.mkdtemp(prefix="recover-clean-")) / "out"
        net = out.parent / "network.log"
        argv = command(sample.blog.base, archive.replay_prefix, out, settings=FAST, network_log=net)
        done = run(argv)
        if done.returncode != 0:
            raise RuntimeError(f"the reference run failed:\n{done.stderr[-3000:]}")
        (out.parent / "stdout.txt").write_text(done.stdout, encoding="utf-8")
        _CLEAN[key] = out
    return _CLEAN[key]


def recoverable(blog: Any) -> set[str]:
    """Canonical URLs of the posts an archive holds a good page capture of."""
    from recover.urls import canonical

    return {canonical(url) for url, where in blog.recoverable_from.items() if where == "page"}
