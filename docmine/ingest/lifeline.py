"""Worker processes end on their own when the process that started them is gone, kill -9 included.

Pool workers are forked by multiprocessing's fork server, which exits when the main process dies; so a
worker watches its parent (the kernel's parent-death signal on Linux, and a thread that polls everywhere).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_S = 0.5


def start(main_pid: int) -> None:
    """Called in each worker as it starts, with the pid of the process that runs the ingest."""
    # Ctrl-C in a terminal reaches the whole process group: the main process stops the pool, so the workers
    # need not each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        # SIGKILL from the kernel the moment the parent exits, even while this process is busy in C code
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if _orphaned(parent, main_pid):  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, main_pid), name="docmine-lifeline", daemon=True).start()


def _watch(parent: int, main_pid: int) -> None:
    while not _orphaned(parent, main_pid):
        time.sleep(POLL_S)
    os._exit(1)  # no clean-up: whoever would read our results is gone


def _orphaned(parent: int, main_pid: int) -> bool:
    if os.getppid() != parent:  # re-parented: the parent (the main process or its fork server) has exited
        return True
    try:
        os.kill(main_pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user (the pid was reused): treat as gone
        return True
    return False
