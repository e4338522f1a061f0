"""Any video of the library can be chosen for a share (issue 20), read-only: an
editor's media chooser lists a colleague's video and hands it to the share row,
while wagtailmedia still refuses to let them edit it; a person who plans no
shares still sees and chooses only their own media."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtailmedia.models import Media

from cms.core.models import Role
from tests.publishing.factories import video_media

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues_video(org):
    colleague = org.user("bientap2.bacson", Role.EDITOR, org.bac_son)
    return video_media(title="Phỏng vấn Sơn Động", uploaded_by_user=colleague)


@pytest.fixture
def editor(org):
    return org.user("bientap.bacson", Role.EDITOR, org.bac_son)


def modal(response):
    assert response.status_code == 200, response
    return json.loads(response.content)


def test_an_editor_chooses_a_colleagues_video_and_cannot_edit_it(
    client, editor, colleagues_video
):
    client.force_login(editor)
    listing = modal(client.get(reverse("wagtailmedia:chooser")))
    chosen_url = reverse("wagtailmedia:media_chosen", args=[colleagues_video.pk])
    assert "Phỏng vấn Sơn Động" in listing["html"]
    assert chosen_url in listing["html"]
    chosen = modal(client.get(chosen_url))
    assert chosen["step"] == "media_chosen"
    assert chosen["result"]["id"] == colleagues_video.pk
    assert chosen["result"]["title"] == "Phỏng vấn Sơn Động"
    edit_url = reverse("wagtailmedia:edit", args=[colleagues_video.pk])
    assert client.get(edit_url).status_code == 302  # refused, back to the admin
    client.post(edit_url, {"title": "Đổi tên", "collection": 1})
    assert Media.objects.get(pk=colleagues_video.pk).title == "Phỏng vấn Sơn Động"


def test_who_plans_no_share_chooses_only_their_own_media(
    client, django_user_model, colleagues_video
):
    person = django_user_model.objects.create_user("xem.bacson", password="x")
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(person)
    listing = modal(client.get(reverse("wagtailmedia:chooser")))
    assert "Phỏng vấn Sơn Động" not in listing["html"]
    chosen_url = reverse("wagtailmedia:media_chosen", args=[colleagues_video.pk])
    answer = client.get(chosen_url)
    assert answer.status_code != 200 or b"media_chosen" not in answer.content
