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


class _Declares(BaseStage):
    def __init__(self, name: str, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.name, self.requires, self.assigns = name, requires, assigns

    def __call__(self, article: Article) -> Article:
        article.title = "written"
        return article


def test_a_declared_name_that_is_not_an_article_field_is_refused() -> None:
    with pytest.raises(PipelineError, match="assigns verdicts, which is not an Article field"):
        Auditor(stages=[_Declares("v", assigns=("verdicts",))])
    with pytest.raises(PipelineError, match=r"requires claims\.colour"):
        Auditor(stages=[_Declares("v", requires=("claims.colour",))])
    Auditor(stages=[_Declares("v", requires=("claims.verdict",))], given=("claims.verdict",))
    with pytest.raises(PipelineError, match="not Article fields"):
        Auditor(stages=[], given=("verdicts",))


def test_an_undeclared_write_is_caught_when_writes_are_checked() -> None:
    sneaky = _Declares("sneaky", assigns=("findings",))
    with pytest.raises(PipelineError, match="'sneaky' wrote title without declaring it"):
        Auditor(stages=[sneaky], check_writes=True).run(Article(source="x", text="Hi."))
    honest = _Declares("honest", assigns=("title",))
    assert Auditor(stages=[honest], check_writes=True).run(Article(source="x")).title == "written"


def test_an_auditor_can_start_from_given_fields() -> None:
    names = ("ingest", "segment", "attribution", "sources", "claims")
    head = Auditor(stages=[s for s in default_stages(Settings()) if s.name in names])
    art = head.audit_text("Critics argue that the plan may fail. The council approved it on Monday.")
    findings = [s for s in default_stages(Settings()) if s.name == "findings"]
    with pytest.raises(PipelineError, match="requires blocks"):
        Auditor(stages=findings)
    tail = Auditor(stages=findings, given=("blocks", "assertions", "citations", "claims"), check_writes=True)
    out = tail.run(art)
    assert out.stages_run[-1] == "findings"
    assert "unnamed_group_attributions" in {f.code for f in out.findings}


def test_every_default_stage_writes_only_what_it_declares_on_the_seed() -> None:
    from .helpers import SEED

    report = Auditor(check_writes=True).report(SEED)
    assert report.article.stages_run[-1] == "findings"
    assert any(c.verdict is not None for c in report.article.claims)
