from cms.core.models import Role


def test_article_page_renders(client, org):
    page = org.article()
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Hộ kinh doanh đóng BHXH" in response.content.decode()


def test_membership_gives_unit_group(org):
    user = org.user("bt", Role.EDITOR, org.bac_son)
    assert list(user.groups.values_list("name", flat=True)) == [
        "Bắc Sơn · Biên tập viên"
    ]
