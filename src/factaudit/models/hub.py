"""A verifier named by the user: a local model folder, or a Hugging Face hub id fetched once.

``--verifier-model PATH`` reads the folder as it is. ``--verifier-model owner/name[@revision]``
downloads only what :class:`~factaudit.models.verifier.VerifierModel` reads (config, tokenizer, the
ONNX graph) with ``huggingface_hub.snapshot_download`` into its usual cache, so a second run needs
no network. ``huggingface_hub`` is the optional ``hub`` extra; the default install never needs it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError
from .verifier import DEFAULT_THREADS, VerifierModel, get_verifier

__all__ = ["HUB_FILES", "load_verifier", "resolve_model_dir"]

#: ``owner/name`` with an optional ``@revision`` (branch, tag or commit).
HUB_ID = re.compile(r"(?P<repo>[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})(?:@(?P<rev>[\w./-]{1,100}))?")
#: The files a verifier needs; everything else in a repository (PyTorch weights...) is left alone.
HUB_FILES = [
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "verifier.json",
    "*.onnx",
    "onnx/model.onnx",
    "onnx/model_quantized.onnx",
]


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def resolve_model_dir(spec: str, *, cache_dir: str | Path | None = None, endpoint: str | None = None) -> Path:
    """The local folder for ``spec``: the folder itself, or the hub repository's downloaded snapshot."""
    path = Path(spec).expanduser()
    if path.is_dir():
        return path
    m = HUB_ID.fullmatch(spec.strip())
    if m is None or spec.startswith((".", "/", "~")):
        raise ModelError(
            f"verifier model {spec!r} is neither a folder nor a hub id like owner/name[@revision]"
        )
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise ModelError(
            "loading a verifier from the Hugging Face hub needs the hub extra: pip install 'factaudit[hub]'"
        ) from None
    try:
        folder = snapshot_download(
            m.group("repo"),
            revision=m.group("rev"),
            allow_patterns=HUB_FILES,
            cache_dir=str(cache_dir) if cache_dir else None,
            endpoint=endpoint,
        )
    except Exception as exc:  # huggingface_hub raises many types (HTTP, offline, not found, disk)
        raise ModelError(f"could not get verifier model {spec} from the hub: {_first_line(exc)}") from None
    return Path(str(folder))


@lru_cache(maxsize=4)
def load_verifier(spec: str | None = None, threads: int = DEFAULT_THREADS) -> VerifierModel:
    """The verifier to use: the shipped one (``spec`` None), a local folder or a hub id; loaded once."""
    if not spec:
        return get_verifier(threads)
    return VerifierModel(resolve_model_dir(spec), threads=threads).load()
