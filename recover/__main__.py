"""``python -m recover``: the same as the ``recover`` command."""

import sys

from recover.cli import main

sys.exit(main())
