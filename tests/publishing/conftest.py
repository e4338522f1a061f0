"""Fixtures of the publishing tests: a Facebook channel on the sandbox, a live
article, Zalo's verify polling made fast. Module fixtures of the same name win."""

import pytest

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
