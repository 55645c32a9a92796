"""The Auditor: an ordered list of named stages over one Article.

Each stage declares the Article fields it ``requires``, ``assigns`` and ``uses`` (reads when an
earlier stage assigned them, e.g. findings reads ``citations.check`` only where cited_pages ran).
A name is an :class:`~factaudit.document.Article` field (``"claims"``) or an attribute of the items
of a list field (``"claims.verdict"``, ``"citations.check"``). The Auditor checks at construction
that every name exists on Article and every requirement is assigned by an earlier stage (or given),
and at run time that every stage hands back the Article (spaCy's ``Language`` does the same for its
components). ``skipped`` and ``timings`` are bookkeeping every stage may append to.
"""

from __future__ import annotations

import dataclasses
import time
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .config import Settings
from .document import Article, ModelInfo, Report
from .errors import PipelineError


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    uses: tuple[str, ...]

    def warm_up(self) -> None:
        """Load models; called once before the first article (not in the constructor)."""

    def __call__(self, article: Article) -> Article: ...


#: ``on_stage(stage_name, stages_done, stages_total)``: progress reported by :meth:`Auditor.run`.
StageCallback = Callable[[str, int, int], None]

#: What an Article holds before any stage ran.
INITIAL_FIELDS = ("source", "raw")


def article_field_paths() -> frozenset[str]:
    """Every name a stage may declare: Article's fields, and ``list_field.attr`` for list items."""
    hints = typing.get_type_hints(Article)
    paths: set[str] = set()
    for f in dataclasses.fields(Article):
        paths.add(f.name)
        if typing.get_origin(hints[f.name]) is list:
            (item,) = typing.get_args(hints[f.name])
            if dataclasses.is_dataclass(item):
                paths.update(f"{f.name}.{g.name}" for g in dataclasses.fields(item))
    return frozenset(paths)


def default_stages(settings: Settings) -> list[Stage]:
    from .stages.attribution import AttributionStage
    from .stages.cited import CitedPagesStage
    from .stages.claims import ClaimsStage
    from .stages.factchecks import FactChecksStage
    from .stages.findings import FindingsStage
    from .stages.ingest import IngestStage
    from .stages.relations import RelationsStage
    from .stages.segment import SegmentStage
    from .stages.sources import SourcesStage
    from .stages.verify import VerifyStage

    stages: list[Stage] = [
        IngestStage(settings),
        SegmentStage(settings),
        AttributionStage(settings),
        SourcesStage(settings),
        ClaimsStage(settings),
        RelationsStage(settings),
        FactChecksStage(settings),
        VerifyStage(settings),
        *([CitedPagesStage(settings)] if settings.online else []),
        FindingsStage(settings),
    ]
    return stages


class Auditor:
    """Runs the ordered stages over an Article; reusable across articles (models stay loaded)."""

    def __init__(
        self,
        settings: Settings | None = None,
        stages: Sequence[Stage] | None = None,
        *,
        given: Iterable[str] = (),
        check_writes: bool = False,
    ) -> None:
        """``given``: fields the Articles handed to :meth:`run` already hold (a run that starts
        mid-pipeline, e.g. from a stored report or a test's hand-made Article). ``check_writes``:
        after each stage, compare the Article with a snapshot and refuse writes the stage did not
        declare (the tests run the default stages this way; it costs a few ms per stage)."""
        self.settings = settings or Settings()
        self.check_writes = check_writes
        self.stages: list[Stage] = list(stages) if stages is not None else default_stages(self.settings)
        self.given = tuple(given)
        self._check_contracts()
        self._warmed: set[int] = set()

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def _check_contracts(self) -> None:
        known = article_field_paths()
        unknown = [f for f in self.given if f not in known]
        if unknown:
            raise PipelineError(f"given fields {', '.join(unknown)} are not Article fields")
        available = set(INITIAL_FIELDS) | set(self.given)
        names: set[str] = set()
        for stage in self.stages:
            if not isinstance(stage, Stage):
                raise PipelineError(
                    f"{stage!r} is not a Stage (needs name, requires, assigns, uses, __call__)"
                )
            if stage.name in names:
                raise PipelineError(f"two stages are named {stage.name!r}")
            names.add(stage.name)
            for kind in ("requires", "assigns", "uses"):
                bad = [f for f in getattr(stage, kind) if f not in known]
                if bad:
                    raise PipelineError(
                        f"stage {stage.name!r} {kind} {', '.join(bad)}, which is not an Article field"
                    )
            missing = [f for f in stage.requires if f not in available]
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, which no earlier stage assigns"
                )
            available.update(stage.assigns)

    def warm_up(self) -> None:
        """Load every stage's models now (batch parents do this before forking workers)."""
        for stage in self.stages:
            self._warm_stage(stage)

    def _warm_stage(self, stage: Stage) -> None:
        if id(stage) not in self._warmed:
            stage.warm_up()
            self._warmed.add(id(stage))

    def run(self, article: Article, *, on_stage: StageCallback | None = None) -> Article:
        """Run every stage over ``article`` in order, timing each.

        Stages are warmed lazily, right before their first run, so bad input fails in ingest
        before any model is loaded. ``on_stage(name, done, total)`` is called after each stage
        (progress for long audits).
        """
        total = len(self.stages)
        for done, stage in enumerate(self.stages, 1):
            self._warm_stage(stage)
            before = _snapshot(article) if self.check_writes else None
            t0 = time.perf_counter()
            out = stage(article)
            if not isinstance(out, Article):
                raise PipelineError(f"stage {stage.name!r} returned {type(out).__name__}, not an Article")
            if before is not None:
                _check_writes(stage, before, _snapshot(out))
            article = out
            article.timings[stage.name] = round(time.perf_counter() - t0, 6)
            article.stages_run.append(stage.name)
            if on_stage is not None:
                on_stage(stage.name, done, total)
        article.nlp = {}
        return article

    def audit(self, source: str | Path | bytes, *, name: str | None = None) -> Article:
        """Audit one source: a path, a URL, ``-`` (stdin) or raw bytes."""
        return self.run(make_article(source, name=name))

    def model_info(self) -> list[ModelInfo]:
        infos: list[ModelInfo] = []
        for stage in self.stages:
            fn = getattr(stage, "model_info", None)
            if fn is not None:
                infos.extend(fn())
        return infos

    def report(
        self,
        source: str | Path | bytes | Article,
        *,
        name: str | None = None,
        on_stage: StageCallback | None = None,
    ) -> Report:
        """Audit ``source`` and wrap the result with its run record (``on_stage``: see :meth:`run`)."""
        from .report import build_report

        started = datetime.now(UTC)
        t0 = time.perf_counter()
        article = source if isinstance(source, Article) else make_article(source, name=name)
        article = self.run(article, on_stage=on_stage)
        return build_report(
            article,
            started_at=started,
            duration_s=round(time.perf_counter() - t0, 6),
            stages=self.stage_names,
            models=self.model_info(),
            settings=self.settings,
        )

    def audit_text(self, text: str, *, name: str = "<text>") -> Article:
        return self.run(Article(source=name, raw=text.encode("utf-8"), format="text"))

    def audit_many(self, sources: Iterable[str | Path]) -> Iterable[Article]:
        for s in sources:
            yield self.audit(s)


#: Bookkeeping any stage may write, declared or not.
_BOOKKEEPING = frozenset({"skipped", "timings", "stages_run"})


def _fingerprint(value: Any) -> Any:
    """What changes when a field is reassigned or a list/dict/bytes/str in it grows or shrinks."""
    if isinstance(value, list | dict | str | bytes):
        return (id(value), len(value))
    return (id(value), value) if isinstance(value, int | float | bool) or value is None else id(value)


def _snapshot(article: Article) -> dict[str, Any]:
    """A cheap fingerprint of every field path (see :func:`article_field_paths`)."""
    snap: dict[str, Any] = {}
    for f in dataclasses.fields(Article):
        value = getattr(article, f.name)
        snap[f.name] = _fingerprint(value)
        if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            for g in dataclasses.fields(value[0]):
                snap[f"{f.name}.{g.name}"] = tuple(_fingerprint(getattr(x, g.name, None)) for x in value)
    return snap


def _check_writes(stage: Stage, before: dict[str, Any], after: dict[str, Any]) -> None:
    declared = set(stage.assigns)
    changed = sorted(
        k
        for k in after.keys() | before.keys()
        if before.get(k) != after.get(k)
        and k not in _BOOKKEEPING
        and k not in declared
        # a newly assigned list field brings new items with it
        and k.split(".", 1)[0] not in declared
        # items of a list that was empty before have no earlier attributes to compare
        and not ("." in k and k not in before)
    )
    if changed:
        raise PipelineError(f"stage {stage.name!r} wrote {', '.join(changed)} without declaring it (assigns)")


def online_auditor() -> Auditor:
    """An Auditor with ``Settings(online=True)`` (the web app's factory for ``factaudit serve --online``)."""
    return Auditor(Settings(online=True))


def make_article(source: str | Path | bytes, *, name: str | None = None) -> Article:
    """An un-ingested Article for a path, URL, ``-`` (stdin) or raw bytes."""
    if isinstance(source, bytes):
        return Article(source=name or "<bytes>", raw=source)
    return Article(source=str(source) if name is None else name, raw=None, meta={"location": str(source)})


_default: Auditor | None = None


def audit(source: str | Path | bytes, *, settings: Settings | None = None, name: str | None = None) -> Report:
    """Audit one article (path, URL, ``-`` for stdin, or bytes) with the default stages.

    The default Auditor is built once per process and reused (models stay loaded) for as long as
    the settings asked for stay the same; ``settings=None`` means the defaults, never the settings
    of an earlier call.
    """
    global _default
    wanted = settings if settings is not None else Settings()
    if _default is None or _default.settings != wanted:
        _default = Auditor(wanted)
    return _default.report(source, name=name)
