"""`python -m apcompliance`: the `apcompliance` command."""

import sys

from apcompliance.cli import main

if __name__ == "__main__":
    sys.exit(main())
