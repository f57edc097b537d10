"""``python -m cli``: the same as the ``misuse`` command."""

from cli.main import main

main()
