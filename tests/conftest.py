from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_9b6dda7c95758cef.txt"


@pytest.fixture
def seed_path():
    """The reference thread from ../shared; tests that need it skip when it is absent."""
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not available")
    return SEED
