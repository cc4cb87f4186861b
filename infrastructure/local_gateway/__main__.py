"""``python -m infrastructure.local_gateway``."""

import logging
import os
import sys

from infrastructure.local_gateway.server import main

if __name__ == "__main__":
    code = main()
    # Everything was stopped explicitly; skip the interpreter's multi-second teardown of
    # moto's backends (garbage collection at exit) so Ctrl-C returns at once.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
