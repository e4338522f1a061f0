"""One organisation for the whole `tests/cms` package, rolled back after each test.

Building the organisation (units -> sections, groups, permissions, workflows) costs
about a second per test. Here it is built once, inside an outer transaction that
stays open while the package runs: each test then runs in a savepoint (pytest-django's
`db`, like Django's TestCase) and anything it changes is undone after it. The outer
transaction is rolled back when the package is done, so other packages (the browser
journeys, which flush the database) start from an empty database as before.
"""

import pytest
from django.db import transaction

from cms.content.models import ArticleIndexPage, HomePage, UnitSectionPage
from cms.core.models import TargetGroup, Unit
from tests.conftest import Org


class SharedOrg(Org):
    """The rows `Org()` created, read back fresh for each test."""

    def __init__(self):
        self.home = HomePage.objects.get(slug="trang-chu")
        self.news = ArticleIndexPage.objects.get(slug="tin-tuc")
        self.region = Unit.objects.get(slug="khu-vuc-v")
        self.bac_son = Unit.objects.get(slug="bac-son")
        self.loc_binh = Unit.objects.get(slug="loc-binh")
        self.section = {
            u.slug: UnitSectionPage.objects.get(unit=u)
            for u in (self.region, self.bac_son, self.loc_binh)
        }
        self.household = TargetGroup.objects.get(slug="ho-kinh-doanh")
        self.coop = TargetGroup.objects.get(slug="quan-ly-htx")


@pytest.fixture(scope="package")
def _shared_org_rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        Org()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def org(_shared_org_rows, db):
    return SharedOrg()
