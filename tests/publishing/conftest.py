"""Fixtures of the publishing tests: a Facebook channel on the sandbox, a live
article, Zalo's verify polling made fast. Module fixtures of the same name win."""

import pytest

from tests.publishing.factories import FAST_ZALO, fb_channel


@pytest.fixture
def fb(sandbox, org):
    return fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))


@pytest.fixture
def article(org):
    return org.article()


@pytest.fixture
def zalo_fast(settings):
    settings.PUBLISHING_NETWORKS = {
        **settings.PUBLISHING_NETWORKS,
        "zalo": {
            "BACKEND": "publishing.networks.zalo.ZaloNetwork",
            "OPTIONS": FAST_ZALO,
        },
    }
