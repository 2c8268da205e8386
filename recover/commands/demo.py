"""``recover demo``: recover the bundled sample blog from a real archive on loopback.

Works offline: the bundled sample archive (:data:`recover.demo.SAMPLE_WARC`) is served
by pywb on 127.0.0.1 and recovered through the same pipeline as ``recover run``. pywb comes
with the ``demo`` extra (``pip install 'recover[demo]'``).
"""

from __future__ import annotations

import argparse
import importlib.util
from urllib.parse import urlsplit

from recover.errors import UserError

MEDIA_BASE_URL = "http://127.0.0.1:8000/"  # where the README says to serve the demo's media/


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="recover the bundled sample blog (offline)",
        description="Serve the bundled sample archive with pywb on 127.0.0.1 and recover it.",
    )
    p.add_argument("--out", default="output/demo", metavar="DIR", help="default: output/demo")
    p.add_argument("--port", type=int, default=None, help="pywb port (default: a free one)")
    p.add_argument("--progress", choices=("auto", "rich", "log", "off"), default="auto")
    p.add_argument(
        "--media-base-url",
        metavar="URL",
        default=MEDIA_BASE_URL,
        help="where you will serve the output's media/ folder while WordPress imports the "
        f"WXR with its attachments (default: {MEDIA_BASE_URL}; the demo's archive is gone "
        "once it ends, so the archive cannot serve them)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from recover.commands.run import add_arguments, recover
    from recover.demo import SAMPLE_SITE, SAMPLE_WARC
    from recover.demo.pywb import PywbArchive, PywbError

    if importlib.util.find_spec("pywb") is None:
        raise UserError("recover demo needs pywb: pip install '.[demo]' (or 'recover[demo]')")
    print(f"sample archive: {SAMPLE_SITE} in {SAMPLE_WARC}")
    try:
        with PywbArchive([SAMPLE_WARC], port=args.port) as archive:
            print(f"pywb serving it at {archive.replay_prefix}")
            flags = argparse.ArgumentParser(prog="recover demo")
            add_arguments(flags)  # the same flags, and defaults, as `recover run`
            run_args = flags.parse_args(
                [
                    SAMPLE_SITE,
                    "--archive",
                    archive.replay_prefix,
                    "--out",
                    args.out,
                    "--rate",
                    "cdx=0,replay=0",  # our own server on loopback: no need to wait
                    "--progress",
                    args.progress,
                    "--media-base-url",
                    args.media_base_url,
                ]
            )
            run_args.verbose = getattr(args, "verbose", False)
            code = recover(run_args)
    except PywbError as exc:
        raise UserError(f"could not start the sample archive: {str(exc).splitlines()[0]}") from None
    if code == 0:
        port = urlsplit(args.media_base_url).port or 80
        print(
            f"WordPress fetches the images from {args.media_base_url} when it imports "
            f"{args.out}/wordpress.xml with its attachments: serve them meanwhile with "
            f"python3 -m http.server {port} -d {args.out}/media"
        )
    return code
