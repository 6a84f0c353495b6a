#!/usr/bin/env python3
"""Entry point of the briefing-pack builder. See `python build.py --help`."""
import sys

from briefing.cli import main

if __name__ == "__main__":
    sys.exit(main())
