"""Pool workers that die with the process that started them (batch runs and the web app's jobs).

A forked worker inherits both ends of its pool's task pipe, so a dead parent never shows as EOF;
a spawned one may sit in a model load. Either way it would live on, holding a loaded Auditor
(~470 MB). Linux gets the kernel's parent-death signal (sent when the thread that started the worker
exits); everywhere a watchdog thread also polls ``os.getppid()``.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent"]

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Pool initializer: exit this worker as soon as process ``parent`` is gone, even after SIGKILL."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no usable libc: the watchdog still covers it
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect: no signal will come
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="factaudit-parent-watch", daemon=True).start()


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """Exit this process once it has been reparented (its parent ``parent`` has died)."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)
