import pytest

from bot.store.db import connect


@pytest.fixture
def fresh_db(tmp_path):
    return connect(tmp_path / "t.db")
