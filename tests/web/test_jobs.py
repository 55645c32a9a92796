"""The web app's audit worker processes (web/jobs.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from ..helpers import ROOT, alive, children, kill_and_outlive

_SERVER = """
import time
from factaudit.web.jobs import ProcessRunner
runner = ProcessRunner("tests.web.test_api:make_test_auditor", workers=1)
runner.start()
while runner.ready() < 1:
    time.sleep(0.1)
print("ready", flush=True)
time.sleep(600)
"""


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the workers through /proc")
def test_killing_the_server_takes_its_audit_workers_down() -> None:
    proc = subprocess.Popen([sys.executable, "-c", _SERVER], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    workers: set[int] = set()
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        workers = children(proc.pid)
        assert workers
        assert not kill_and_outlive(proc, workers), "audit workers outlived their killed server"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
