"""Session-wide test settings: the default evidence store and the Wikipedia answer cache live in
temporary folders, not the user's."""

from __future__ import annotations

import os
import tempfile

if "FACTAUDIT_STORE" not in os.environ:
    # Built once per test session on first use (the shipped packs, ~15 s) and shared by all tests,
    # including CLI tests run in subprocesses (they inherit the environment).
    os.environ["FACTAUDIT_STORE"] = os.path.join(tempfile.mkdtemp(prefix="factaudit-test-store-"), "default")

if "FACTAUDIT_FACTCHECKS" not in os.environ:
    # The default fact-check library (the shipped Snopes entries, seeded on first use, ~10 s).
    os.environ["FACTAUDIT_FACTCHECKS"] = os.path.join(
        tempfile.mkdtemp(prefix="factaudit-test-factchecks-"), "default"
    )

if "FACTAUDIT_CACHE_DIR" not in os.environ:
    # Wikipedia answers cached by --online tests stay out of the user's cache folder.
    os.environ["FACTAUDIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="factaudit-test-cache-")
