"""``python -m infrastructure.package``: see ``infrastructure/package/__init__.py``."""

import sys

from infrastructure.package.build import main

sys.exit(main())
