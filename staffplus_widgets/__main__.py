"""Run the ``staffplus`` command line as ``python -m staffplus_widgets``."""

from .cli import main

raise SystemExit(main())
