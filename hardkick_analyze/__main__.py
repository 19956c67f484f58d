"""``python -m hardkick_analyze``."""

from .cli import main

main()
