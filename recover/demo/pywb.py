"""A real pywb Wayback server on 127.0.0.1 over local WARC files, as a context manager.

``PywbArchive({"web": [warc]})`` lays out a pywb root in a temp dir (one collection per
key, the WARCs linked in and indexed to CDXJ the way ``wb-manager add`` does), starts
``wayback -b 127.0.0.1 -p PORT`` in its own process group (no live web, no proxy mode,
unframed replay like the Wayback Machine) and stops it on exit.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

# Run in a child so pywb's import-time side effects (gevent, deprecation warnings) stay there.
_SETUP = r"""
import json, os, sys
from pywb.indexer.cdxindexer import write_multi_cdx_index
for coll, warcs in json.loads(sys.argv[1]).items():
    base = os.path.join("collections", coll)
    for sub in ("archive", "indexes", "static", "templates"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    archive = os.path.join(base, "archive")
    for i, warc in enumerate(warcs):
        name = os.path.basename(warc)
        if os.path.exists(os.path.join(archive, name)):
            name = f"{i}-{name}"
        os.symlink(os.path.abspath(warc), os.path.join(archive, name))
    write_multi_cdx_index(os.path.join(base, "indexes", "index.cdxj"), [archive],
                          cdxj=True, sort=True, recurse=True, append_post=True, rel_root=archive)
"""
# The server exits by itself when its parent dies (no orphans if a test run is killed).
_SERVE = r"""
import os, sys
parent = os.getppid()
from pywb.apps.cli import wayback  # patches with gevent: watch the parent from a greenlet
import gevent
def watch():
    while os.getppid() == parent:
        gevent.sleep(1)
    os._exit(0)
gevent.spawn(watch)
sys.exit(wayback())
"""


class PywbError(RuntimeError):
    """pywb could not be set up or did not start; the message ends with its log."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class PywbArchive:
    """A pywb server over WARC files; ``with PywbArchive([warc]) as wb: wb.replay_prefix``.

    ``warcs`` fills the collection named ``web``; ``collections`` maps more names to
    WARC lists. ``port=None`` picks a free port. ``framed=False`` serves replay pages
    with links rewritten and pywb's insert, like ``web.archive.org/web/TS/URL``.
    """

    def __init__(
        self,
        warcs: Iterable[str | os.PathLike[str]] = (),
        *,
        collections: Mapping[str, Iterable[str | os.PathLike[str]]] | None = None,
        port: int | None = None,
        host: str = "127.0.0.1",
        root: str | os.PathLike[str] | None = None,
        framed: bool = False,
        threads: int = 8,
        startup_timeout: float = 60.0,
    ) -> None:
        colls = {k: [str(Path(w).resolve()) for w in v] for k, v in (collections or {}).items()}
        warcs = [str(Path(w).resolve()) for w in warcs]
        if warcs:
            colls.setdefault("web", []).extend(warcs)
        if not colls:
            raise ValueError("PywbArchive needs at least one WARC")
        for name, paths in colls.items():
            for p in paths:
                if not Path(p).is_file():
                    raise FileNotFoundError(f"{name}: {p}")
        self.collections = colls
        self.host = host
        self.port = port
        self.framed = framed
        self.threads = threads
        self.startup_timeout = startup_timeout
        self._given_root = Path(root) if root else None
        self.root: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: Path | None = None

    # -- addresses -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def default_collection(self) -> str:
        return "web" if "web" in self.collections else next(iter(self.collections))

    def replay_prefix_for(self, coll: str) -> str:
        """``http://127.0.0.1:PORT/<coll>/``: add ``TIMESTAMP[id_]/URL``."""
        return f"{self.base_url}/{coll}/"

    def cdx_url_for(self, coll: str) -> str:
        """The CDX server API of one collection (answers NDJSON with ``output=json``)."""
        return f"{self.base_url}/{coll}/cdx"

    @property
    def replay_prefix(self) -> str:
        return self.replay_prefix_for(self.default_collection)

    @property
    def cdx_url(self) -> str:
        return self.cdx_url_for(self.default_collection)

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> PywbArchive:
        """Lay out the collections, start the server and wait until it answers."""
        if self.proc is not None:
            return self
        if self._given_root:
            self.root = self._given_root
            self.root.mkdir(parents=True, exist_ok=True)
        else:
            self.root = Path(tempfile.mkdtemp(prefix="recover-pywb-"))
        self._log = self.root / "wayback.log"
        (self.root / "config.yaml").write_text(
            f"framed_replay: {'true' if self.framed else 'false'}\nenable_memento: true\n"
        )
        setup = subprocess.run(
            [sys.executable, "-c", _SETUP, json.dumps(self.collections)],
            cwd=self.root,
            capture_output=True,
            text=True,
        )
        if setup.returncode:
            raise PywbError(f"indexing failed:\n{setup.stderr[-3000:]}")
        attempts = 1 if self.port else 3
        for attempt in range(attempts):
            port = self.port or free_port(self.host)
            try:
                self._launch(port)
                self.port = port
                return self
            except PywbError:
                self._kill()
                if attempt == attempts - 1:
                    self._cleanup()
                    raise
        return self  # pragma: no cover

    def _launch(self, port: int) -> None:
        assert self.root and self._log
        args = ["-b", self.host, "-p", str(port), "-t", str(self.threads)]
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env.pop(var, None)
        with open(self._log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _SERVE, *args],
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=env,
            )
        deadline = time.monotonic() + self.startup_timeout
        url = f"http://{self.host}:{port}/"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise PywbError(f"wayback exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with opener.open(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise PywbError(
            f"wayback did not answer on {url} in {self.startup_timeout}s\n{self.log_tail()}"
        )

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log."""
        if self._log and self._log.exists():
            return self._log.read_text(errors="replace")[-chars:]
        return ""

    def wait(self) -> int:
        """Block until the server exits (for ``recover demo``); its exit status."""
        assert self.proc is not None, "not started"
        return self.proc.wait()

    def _kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def _cleanup(self) -> None:
        if self.root and not self._given_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def stop(self) -> None:
        """Stop the server (its whole process group) and remove the temp dir."""
        self._kill()
        self._cleanup()

    def __enter__(self) -> PywbArchive:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """``python -m recover.demo.pywb [--port N] [--coll NAME] WARC...``: serve until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m recover.demo.pywb", description=main.__doc__)
    parser.add_argument("warcs", nargs="+", type=Path)
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    parser.add_argument("--coll", default="web", help="collection name (default: web)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the server on the way out
    with PywbArchive(collections={args.coll: args.warcs}, port=args.port) as wb:
        print(f"replay: {wb.replay_prefix}\ncdx:    {wb.cdx_url}", flush=True)
        try:
            return wb.wait()
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
