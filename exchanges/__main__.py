"""``python -m exchanges …``: the command line."""

from exchanges.cli import main

raise SystemExit(main())
