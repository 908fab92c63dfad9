"""Third-party material in ../shared: the seed thread and the real samples.  Tests that need a
file call :func:`sample` (or use conftest's ``seed_path``) and skip when it is absent."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = SHARED / "seeds" / "000_9b6dda7c95758cef.txt"
SAMPLES = SHARED / "samples"
CHECKER = SHARED / "tools" / "gexf-check"


def sample(name):
    """Path of ../shared/samples/``name``; skips the test when it is not there."""
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"../shared/samples/{name} is not available")
    return path
