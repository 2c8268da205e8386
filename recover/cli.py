"""The ``recover`` command line: one sub-command a module in ``recover.commands``."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from recover import __version__
from recover.errors import UserError

COMMANDS = ("run", "demo", "snapshot")


class ArgumentParser(argparse.ArgumentParser):
    """argparse that ends with one clear line instead of a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"recover: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="recover",
        description="Bring a lost blog back from web archives: its posts, pages, comments "
        "and images, as WordPress WXR, Hugo or Jekyll Markdown and Ghost JSON, with a report "
        "of what came back from which capture and what is still missing.",
        epilog="'recover demo' shows it offline on a bundled sample archive; "
        "'recover COMMAND --help' gives a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"recover {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name in COMMANDS:
        module = importlib.import_module(f"recover.commands.{name}")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``recover`` script."""
    try:
        return _main(argv)
    except BrokenPipeError:  # `recover run ... | head`: the reader left, nothing is lost
        # Python flushes stdout at exit: pointed at /dev/null, that flush cannot fail too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.root.handlers:  # Scrapy sets its own loggers to DEBUG
        handler.setLevel(level)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"recover: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("recover: interrupted; run the same command again to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
