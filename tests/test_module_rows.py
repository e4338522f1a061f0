"""A module's own rows on the shared organisation (`module_rows`, tests/conftest.py):
built once for the module, each test's changes to them undone for the next."""

import pytest

from cms.core.models import Unit

BUILT = []


@pytest.fixture(scope="module")
def district(module_rows):
    BUILT.append(1)
    return Unit.objects.create(
        name="BHXH cơ sở Cao Lộc", slug="cao-loc", parent=module_rows.region
    )


class TestModuleRows:
    def test_built_on_the_shared_organisation(self, district, org):
        assert Unit.objects.get(slug="cao-loc").parent == org.region
        Unit.objects.filter(pk=district.pk).update(name="Đổi tên")

    def test_built_once_and_the_change_undone(self, district, org):
        assert BUILT == [1]
        assert Unit.objects.get(pk=district.pk).name == "BHXH cơ sở Cao Lộc"
        assert org.bac_son.parent == org.region


BUILT_FOR_CLASS = []


class TestClassRows:
    @pytest.fixture(scope="class")
    @classmethod
    def commune(cls, class_rows):
        BUILT_FOR_CLASS.append(1)
        return Unit.objects.create(
            name="BHXH xã Hữu Lũng", slug="huu-lung", parent=class_rows.region
        )

    def test_built_on_the_shared_organisation(self, commune, org):
        assert Unit.objects.get(slug="huu-lung").parent == org.region
        Unit.objects.filter(pk=commune.pk).update(name="Đổi tên")

    def test_built_once_and_the_change_undone(self, commune, org):
        assert BUILT_FOR_CLASS == [1]
        assert Unit.objects.get(pk=commune.pk).name == "BHXH xã Hữu Lũng"


def test_the_rows_of_a_class_are_undone_after_it(org):
    assert BUILT_FOR_CLASS == [1]  # the class above ran first, and is undone
    assert not Unit.objects.filter(slug="huu-lung").exists()
