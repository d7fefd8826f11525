"""One module per demo family: its CLI options and its plain-text transcript.

Each module defines ``NAMES`` (the demo names it serves), ``add_arguments(parser, name)``
and ``run_plain(args) -> int``; ``concviz.cli`` lists them in ``COMMAND_MODULES``.
"""
