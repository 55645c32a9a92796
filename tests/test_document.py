"""The data model (document.py): one set of verdict labels, and reports that read back."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from factaudit.document import VERDICT_LABELS, Report
from factaudit.models import verifier
from factaudit.web import views


def test_one_set_of_verdict_labels_everywhere() -> None:
    assert VERDICT_LABELS == ("SUPPORTED", "REFUTED", "NOT ENOUGH EVIDENCE", "CONFLICTING")
    schema = json.loads(resources.files("factaudit.report").joinpath("schema.json").read_text("utf-8"))
    enum = schema["$defs"]["verdict"]["properties"]["label"]["enum"]
    assert tuple(enum) == VERDICT_LABELS
    assert set(verifier.LABELS) <= set(VERDICT_LABELS)
    assert views.LABELS == VERDICT_LABELS and set(views.VERDICTS) - {None} == set(VERDICT_LABELS)


def test_a_report_reads_back_from_its_json() -> None:
    import factaudit
    from factaudit.config import Settings

    report = factaudit.audit(
        b"Critics say the council may raise taxes. The council approved the budget on Monday.",
        settings=Settings(verify=False),
    )
    data = json.loads(json.dumps(report.to_dict()))
    again = Report.from_dict(data)
    assert json.loads(json.dumps(again.to_dict())) == data
    assert again.article.assertions[0].holder.name == report.article.assertions[0].holder.name


@pytest.mark.parametrize("bad", [{"article": 3, "run": {}}, {"run": "x"}, []])
def test_something_that_is_not_a_report_is_a_value_error(bad: object) -> None:
    with pytest.raises(ValueError, match="not a factaudit report"):
        Report.from_dict(bad)  # type: ignore[arg-type]
