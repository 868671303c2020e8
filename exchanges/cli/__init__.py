"""Command-line entry point: ``python -m exchanges export …`` and ``… ingest …``.

Each sub-command lives in its own module of this package
(:mod:`exchanges.cli.export`, :mod:`exchanges.cli.ingest`) that provides
``add_parser(subparsers)``; the parser it adds sets ``func`` to a callable
taking the parsed arguments and returning an exit code. :func:`main` only
dispatches.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from exchanges.cli import export, ingest

SUBCOMMANDS = (export, ingest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m exchanges",
        description="Cold-War diplomatic exchanges: export charts, ingest documents.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in SUBCOMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # Output piped into e.g. `head`, which stopped reading: not an error of
        # ours. Point stdout at devnull so the interpreter's final flush is quiet
        # (the recipe in the Python docs, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
