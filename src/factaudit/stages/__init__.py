"""The named stages. Each module holds one stage class; stages import only the core, never an edge."""

from __future__ import annotations

from ..config import Settings
from ..document import Article, ModelInfo


class BaseStage:
    """Shared plumbing: a name, declared requires/assigns/uses, settings, and a no-op warm_up.

    ``requires``: Article fields read, assigned by an earlier stage; ``assigns``: fields written;
    ``uses``: fields read only when an earlier stage assigned them. Names are Article fields or
    ``list_field.attr`` (see :mod:`factaudit.pipeline`); the Auditor checks them before running.
    """

    name: str = "stage"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    def warm_up(self) -> None:
        """Load models here, not in ``__init__``."""

    def model_info(self) -> list[ModelInfo]:
        """The models this stage runs, for the report's run record."""
        return []

    def __call__(self, article: Article) -> Article:  # pragma: no cover - abstract
        raise NotImplementedError
