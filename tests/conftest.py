"""Session-wide test settings: the default evidence store lives in a temporary folder, not the user's."""

from __future__ import annotations

import os
import tempfile

if "FACTAUDIT_STORE" not in os.environ:
    # Built once per test session on first use (the shipped packs, ~15 s) and shared by all tests,
    # including CLI tests run in subprocesses (they inherit the environment).
    os.environ["FACTAUDIT_STORE"] = os.path.join(tempfile.mkdtemp(prefix="factaudit-test-store-"), "default")
