"""Command-line entry point. Each sub-command lives in its own module that
provides ``add_parser(subparsers)``; the parser it adds sets ``func`` to a
callable taking the parsed arguments and returning an exit code."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

SUBCOMMAND_MODULES = ("exchanges.cli_export", "exchanges.cli_ingest")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m exchanges",
        description="Cold-War diplomatic exchanges: export charts, ingest documents.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if missing.name != module_name:
                raise
            continue
        module.add_parser(subparsers)
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
