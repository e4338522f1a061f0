"""Fixtures of the publishing tests: a Facebook channel on the sandbox, a live
article, Zalo's verify polling made fast, a database parallel requests can share.
Module fixtures of the same name win."""

import pytest

from tests.publishing.concurrency import threads_db_switch
from tests.publishing.factories import FAST_ZALO, fb_channel
from tests.sandbox import network_options


@pytest.fixture
def fb(sandbox, org):
    return fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))


@pytest.fixture
def article(org):
    return org.article()


@pytest.fixture
def zalo_fast(settings):
    network_options(settings, "zalo", **FAST_ZALO)


@pytest.fixture
def threads_db(transactional_db, tmp_path):
    """See tests/publishing/concurrency.py: call it once the test's data is made."""
    yield from threads_db_switch(tmp_path)
