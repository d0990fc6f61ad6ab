import os
import sys

from .cli import main

try:
    status = main()
    sys.stdout.flush()  # here, so that a closed pipe is met inside the try
except BrokenPipeError:
    # Whatever read our output (`check | head`) stopped reading: no traceback for that.
    # Python would fail again flushing stdout at exit, so it goes nowhere from now on.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = 128 + 13  # as a program stopped by SIGPIPE ends
sys.exit(status)
