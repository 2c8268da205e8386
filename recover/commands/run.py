"""`recover run`."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="(not yet)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return 0
