"""Small shared helpers for the tests (no fixtures from ../shared: everything is in the repo)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from factaudit.document import Article
from factaudit.pipeline import Auditor, Stage
from factaudit.stages.attribution import AttributionStage
from factaudit.stages.claims import ClaimsStage
from factaudit.stages.findings import FindingsStage
from factaudit.stages.relations import RelationsStage
from factaudit.stages.segment import SegmentStage
from factaudit.stages.sources import SourcesStage

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed_article.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8").strip()


def analyse(text: str, *, claims: bool = False) -> Article:
    """Run the structure → findings stages over already-normalised text (no ingest), through an
    Auditor that starts from the text and checks every stage writes only what it declares.
    ``claims``: also the claims and relations stages."""
    stages: list[Stage] = [SegmentStage(), AttributionStage(), SourcesStage()]
    if claims:
        stages += [ClaimsStage(), RelationsStage()]
    stages.append(FindingsStage())
    auditor = Auditor(stages=stages, given=("text", "links"), check_writes=True)
    return auditor.run(Article(source="<test>", text=text))


def children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (read from /proc)."""
    kids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
                kids.add(int(entry))
    return kids


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie has exited)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie has exited
    except OSError:
        return False


def kill_and_outlive(proc: Any, workers: set[int], timeout: float = 30) -> list[int]:
    """SIGKILL ``proc``, then wait up to ``timeout`` s for ``workers``: those still alive after it."""
    import signal
    import time

    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=timeout)
    deadline = time.monotonic() + timeout
    while any(map(alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [w for w in workers if alive(w)]
