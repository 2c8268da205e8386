"""``recover demo``: recover the bundled sample blog from a real archive on loopback.

Works offline: the sample blog's captures are written to a WARC, served by pywb on
127.0.0.1, and recovered through the same pipeline as ``recover run``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from recover.errors import UserError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="recover the bundled sample blog (offline)",
        description="Serve the bundled sample archive with pywb on 127.0.0.1 and recover it.",
    )
    p.add_argument("--out", default="output/demo", metavar="DIR", help="default: output/demo")
    p.add_argument("--posts", type=int, default=24, help="posts in the sample blog (24)")
    p.add_argument("--port", type=int, default=None, help="pywb port (default: a free one)")
    p.add_argument("--progress", choices=("auto", "rich", "log", "off"), default="auto")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from recover.commands.run import add_arguments, recover
    from recover.demo.blog import make_blog
    from recover.demo.pywb import PywbArchive, PywbError
    from recover.demo.warc import write_warc

    if not 1 <= args.posts <= 100_000:
        raise UserError("--posts must be between 1 and 100000")
    out = Path(args.out)
    work = out / ".recover"
    work.mkdir(parents=True, exist_ok=True)
    blog = make_blog(args.posts)
    warc = write_warc(blog, work / "sample-archive.warc.gz")
    print(f"sample archive: {len(blog.posts)} posts of {blog.base} in {warc}")
    try:
        with PywbArchive([warc], port=args.port) as archive:
            print(f"pywb serving it at {archive.replay_prefix}")
            flags = argparse.ArgumentParser(prog="recover demo")
            add_arguments(flags)  # the same flags, and defaults, as `recover run`
            run_args = flags.parse_args(
                [
                    blog.base,
                    "--archive",
                    archive.replay_prefix,
                    "--out",
                    str(out),
                    "--rate",
                    "cdx=0,replay=0",  # our own server on loopback: no need to wait
                    "--progress",
                    args.progress,
                ]
            )
            run_args.verbose = getattr(args, "verbose", False)
            return recover(run_args)
    except PywbError as exc:
        raise UserError(f"could not start the sample archive: {str(exc).splitlines()[0]}") from None
