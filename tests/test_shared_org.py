"""The organisation the session shares (tests/conftest.py): built once for the tests
that ask for `org`, each test's changes undone for the next, unseen by the tests
that do not ask for it, and built anew (committed) for a transactional test."""

import threading

import pytest
from django.db import connection

from cms.content.models import UnitSectionPage
from cms.core.models import Unit
from tests.conftest import SHARED_ORG, database_use, shares_org


class TestShared:
    def test_built_once_for_every_test_that_shares_it(self, org, pytestconfig):
        assert pytestconfig.stash[SHARED_ORG].builds == 1
        assert org.bac_son.parent == org.region
        assert org.section["bac-son"].unit == org.bac_son

    def test_a_test_changes_it(self, org):
        Unit.objects.filter(pk=org.bac_son.pk).update(name="Đổi tên")
        org.section["loc-binh"].delete()
        assert not UnitSectionPage.objects.filter(unit=org.loc_binh).exists()


def test_a_database_test_without_org_sees_none_of_it(db):
    """Written between two tests that share it, run before them (`run_order`)."""
    assert not Unit.objects.exists()


def test_the_next_test_finds_it_as_it_was(org):
    assert Unit.objects.get(pk=org.bac_son.pk).name == "BHXH cơ sở Bắc Sơn"
    assert UnitSectionPage.objects.filter(unit=org.loc_binh).exists()


def test_the_tests_that_share_it_run_one_after_the_other(request):
    """Built once only if no other database test comes between them."""
    items = [item for item in request.session.items if database_use(item)]
    sharing = [n for n, item in enumerate(items) if shares_org(item)]
    assert sharing, "this module's tests share it"
    assert sharing == list(range(sharing[0], sharing[-1] + 1))
    assert all(database_use(item) == "rollback" for item in items[: sharing[-1]])


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_its_own_committed_organisation(org):
    """Committed: another connection (a thread's, as a scheduler's) sees it."""
    seen = []

    def look():
        try:
            seen.append(Unit.objects.filter(slug="bac-son").count())
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    assert seen == [1]
    assert org.bac_son.parent == org.region
