from __future__ import annotations

import pytest

import factaudit
from factaudit.config import Settings
from factaudit.document import Article
from factaudit.errors import EXIT_CODES, FactauditError, PipelineError, exit_code
from factaudit.pipeline import Auditor, default_stages
from factaudit.stages import BaseStage
from factaudit.stages.attribution import AttributionStage
from factaudit.stages.ingest import IngestStage


def test_public_api_is_sorted_and_importable() -> None:
    assert factaudit.__all__ == sorted(factaudit.__all__)
    for name in factaudit.__all__:
        assert getattr(factaudit, name) is not None


def test_default_stage_order_satisfies_every_contract() -> None:
    names = Auditor().stage_names
    assert names[0] == "ingest" and names[-1] == "findings"
    assert names.index("claims") < names.index("verify")


def test_a_stage_whose_requirements_nobody_assigns_is_refused() -> None:
    with pytest.raises(PipelineError, match="requires blocks"):
        Auditor(stages=[AttributionStage()])


def test_duplicate_stage_names_are_refused() -> None:
    with pytest.raises(PipelineError, match="two stages"):
        Auditor(stages=[IngestStage(), IngestStage()])


class _Broken(BaseStage):
    name = "broken"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, article: Article) -> Article:
        return None  # type: ignore[return-value]


def test_a_stage_that_does_not_return_the_article_is_a_pipeline_error() -> None:
    aud = Auditor(stages=[_Broken()])
    with pytest.raises(PipelineError, match="returned NoneType"):
        aud.run(Article(source="x", text="Hello world."))


def test_stages_can_run_alone_and_time_themselves() -> None:
    stages = [s for s in default_stages(Settings()) if s.name in ("ingest", "segment", "attribution")]
    aud = Auditor(stages=stages)
    art = aud.audit_text("Critics argue that the plan may fail. The council approved it on Monday.")
    assert art.stages_run == ["ingest", "segment", "attribution"]
    assert set(art.timings) == {"ingest", "segment", "attribution"}
    assert [a.holder.name for a in art.assertions] == ["critics", "the author"]
    assert art.nlp == {}  # the parse cache never leaves the pipeline


def test_every_error_has_a_code_and_a_documented_exit_code() -> None:
    def walk(cls: type[FactauditError]) -> list[type[FactauditError]]:
        return [cls, *[c for sub in cls.__subclasses__() for c in walk(sub)]]

    classes = walk(FactauditError)
    assert len({c.code for c in classes}) == len(classes)
    for cls in classes:
        assert cls.exit_code in EXIT_CODES
    assert exit_code(ValueError()) == 1


def test_module_level_audit_does_not_keep_an_earlier_callers_settings() -> None:
    text = b"The council approved the plan on Monday. It will cost 4 million euros."
    first = factaudit.audit(text, settings=Settings(verify=False, verify_max_claims=3))
    off = "verify: skipped (verification turned off)"
    assert first.run.settings["verify"] is False and off in first.article.skipped
    second = factaudit.audit(text)
    assert second.run.settings == Settings().to_dict()
    assert off not in second.article.skipped
