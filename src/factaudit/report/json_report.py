"""The JSON report: the contract other tools read (its shape is documented in ``schema.json``)."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date, datetime
from enum import Enum
from importlib import resources
from pathlib import PurePath
from typing import Any

from ..document import Report

__all__ = ["load_schema", "to_json", "to_json_dict"]


def to_json_dict(report: Report) -> dict[str, Any]:
    """``report.to_dict()`` made JSON-safe (paths, dates, sets and tuples become plain values).

    Keys keep the data model's declaration order (``schema_version``, ``run``, ``article``, then each
    object's fields as declared), so the output is stable between runs of the same version.
    """
    data: dict[str, Any] = _plain(report.to_dict())
    return data


def to_json(report: Report, *, indent: int | None = 2) -> str:
    """The report as JSON text: UTF-8 characters kept as they are (``ensure_ascii=False``)."""
    return json.dumps(to_json_dict(report), ensure_ascii=False, indent=indent, allow_nan=False)


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the report's top-level shape."""
    text = resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and infinity are not JSON
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Enum):
        return _plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    return str(value)
