import pytest
from shared_data import SEED


@pytest.fixture
def seed_path():
    """The reference thread from ../shared; tests that need it skip when it is absent."""
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not available")
    return SEED
