"""Issue 18: the approver reads exactly what goes out (the composed text with its
short link, the link, image and time) before approving, who asked by name, what
waits first on the admin home, and the message after approving says what is queued.
"""

import datetime
import html
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cms.core.models import Role
from publishing.models import Publication, SharePlan, ShareRequest
from publishing.outbox import dispatcher
from publishing.planning import actions
from tests.publishing.factories import fb_channel, posts
from tests.publishing.helpers import login, text

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=HCM)
LATER = datetime.datetime(2026, 12, 7, 15, 30, tzinfo=HCM)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shared(clock, sandbox, org):
    """A live article already posted once on Bắc Sơn's Page."""
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    page = org.article()
    page.share_plans.add(SharePlan(channel=channel, message="Mới: {title} tại {url}"))
    page.save_revision().publish()
    dispatcher.dispatch_due()
    return page, channel


@pytest.fixture
def editor(org):
    user = org.user("bt.bacson", Role.EDITOR, org.bac_son)
    user.first_name, user.last_name = "Thu Trang", "Bùi"
    user.save()
    return user


@pytest.fixture
def approver(org):
    return org.user("dt.bacson", Role.APPROVER, org.bac_son)


def shown_text(page_html):
    """The composed text as the screen shows it."""
    found = re.search(r"data-payload-text>(.*?)</div>", page_html, re.S)
    return html.unescape(found.group(1)) if found else None


class TestTheRequestList:
    def test_shows_the_composed_post_its_time_and_who_asked(
        self, client, clock, sandbox, shared, editor, approver
    ):
        page, channel = shared
        _made, (request,) = actions.share_again(
            editor, page, [channel], publish_at=LATER
        )
        login(client, approver)
        listing = text(client.get(reverse("publishing_share_requests:index")))
        composed = shown_text(listing)
        short = f"http://testserver/l/{request.link_code}"
        assert composed == f"Mới: {page.title} tại {short}"
        assert "{url}" not in listing and "{title}" not in listing
        assert "07/12/2026 15:30" in listing
        assert "Bùi Thu Trang" in listing or "Thu Trang Bùi" in listing
        assert ">bt.bacson<" not in listing
        # What the approver read is what the network receives.
        client.post(reverse("publishing_share_requests:approve", args=(request.pk,)))
        clock.move_to(LATER)
        dispatcher.dispatch_due()
        assert posts(sandbox)[-1]["message"] == composed

    def test_a_request_without_a_time_says_when_it_would_go(
        self, client, shared, editor, approver
    ):
        page, channel = shared
        actions.share_again(editor, page, [channel])
        login(client, approver)
        listing = text(client.get(reverse("publishing_share_requests:index")))
        assert "07/12/2026 09:00 (as soon as it is approved)" in listing

    def test_the_approval_message_says_when(self, client, shared, editor, approver):
        page, channel = shared
        _made, (request,) = actions.share_again(
            editor, page, [channel], publish_at=LATER
        )
        login(client, approver)
        approve = reverse("publishing_share_requests:approve", args=(request.pk,))
        landed = text(client.post(approve, follow=True))
        assert f"{page.title} will be posted on {channel} at 07/12/2026 15:30" in (
            html.unescape(landed)
        )


class TestAScheduledPostsPage:
    def test_shows_the_text_it_will_send(self, client, shared, approver):
        page, channel = shared
        (publication,), _ = actions.share_again(
            approver, page, [channel], publish_at=LATER
        )
        login(client, approver)
        url = reverse("publishing_publications:inspect", args=(publication.pk,))
        shown = text(client.get(url))
        assert shown_text(shown) == (
            f"Mới: {page.title} tại http://testserver/l/{publication.link_code}"
        )
        assert "Composed when it is sent" not in shown
        assert not Publication.objects.get(pk=publication.pk).payload  # not stored

    def test_a_template_that_cannot_compose_says_why(self, client, shared, approver):
        page, channel = shared
        (publication,), _ = actions.share_again(
            approver, page, [channel], publish_at=LATER
        )
        Publication.objects.filter(pk=publication.pk).update(message="{tieu_de}")
        login(client, approver)
        url = reverse("publishing_publications:inspect", args=(publication.pk,))
        shown = text(client.get(url))
        assert "data-payload-problems" in shown and "unknown placeholder" in shown


def test_a_request_keeps_its_short_link_when_approved(shared, editor, approver):
    page, channel = shared
    _made, (request,) = actions.share_again(editor, page, [channel])
    publication = actions.approve_request(approver, request)
    assert publication.link_code == ShareRequest.objects.get().link_code


# The page editor -------------------------------------------------------------------
def submitted(org, channel, publish_at):
    """An article an editor wrote with a share plan at `publish_at`, submitted."""
    from cms.content.models import ArticlePage
    from tests.conftest import make_image

    editor = org.user("bt.bacson", Role.EDITOR, org.bac_son)
    page = ArticlePage(
        title="Bài chờ duyệt", intro="Giới thiệu.", cover_image=make_image(), live=False
    )
    org.section["bac-son"].add_child(instance=page)
    page.share_plans.add(
        SharePlan(channel=channel, message="{title} {url}", publish_at=publish_at)
    )
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


def footer_buttons(page_html):
    """The editor's footer buttons in order (its main button first): a workflow
    action by its name, "…+dialog" when it opens one; the others by their name."""
    names = []
    for tag in re.findall(r"<button[^>]*>", page_html[page_html.index("<footer") :]):
        action = re.search(r'data-workflow-action-name="([^"]+)"', tag)
        if action:
            dialog = "+dialog" if "modal-url" in tag else ""
            names.append(action.group(1) + dialog)
        elif "action-save" in tag:
            names.append("save")
        elif found := re.search(r' name="([^"]+)"', tag):
            names.append(found.group(1))
    return names


class TestTheEditorForAnApprover:
    def test_approve_and_publish_is_the_main_button(
        self, client, clock, sandbox, org, approver
    ):
        channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
        page = submitted(org, channel, LATER)
        login(client, approver)
        edit = text(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
        buttons = footer_buttons(edit)
        assert buttons == [
            "approve",  # the main button: "Approve and publish"
            "approve+dialog",
            "reject+dialog",
            "save",
            "action-publish",
            "action-cancel-workflow",
        ]

    def test_the_editors_own_main_button_stays_save(self, client, clock, org):
        editor = org.user("bt.bacson", Role.EDITOR, org.bac_son)
        page = org.article()
        login(client, editor)
        edit = text(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
        assert footer_buttons(edit)[0] == "save"

    def test_after_approving_the_message_says_live_and_what_is_queued(
        self, client, clock, sandbox, org, approver
    ):
        from wagtail.test.utils.form_data import nested_form_data, streamfield

        from tests.cms.helpers import paragraph
        from tests.vi_walk import form_data

        channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
        page = submitted(org, channel, LATER)
        login(client, approver, language="vi")
        url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        data = form_data(text(client.get(url)))  # the body is drawn by script:
        data.update(nested_form_data({"body": streamfield([paragraph()])}))
        data.update({"action-workflow-action": "1", "workflow-action-name": "approve"})
        landed = html.unescape(text(client.post(url, data, follow=True)))
        assert (
            "“Bài chờ duyệt” đã lên trang. Bài đăng đã xếp lịch: "
            f"{channel} lúc 07/12/2026 15:30."
        ) in landed
        assert "Đã cập nhật trang" not in landed


# The admin home ----------------------------------------------------------------------
def test_the_shares_waiting_come_first_soonest_due_first(
    client, clock, shared, org, editor, approver, campaign
):
    page, channel = shared
    later = org.article(title="Bài hẹn chiều")
    actions.share_again(editor, later, [channel], publish_at=LATER)
    soon = org.article(title="Bài hẹn sáng")
    actions.share_again(editor, soon, [channel], publish_at=NOW.replace(hour=11))
    login(client, approver)
    home = text(client.get(reverse("wagtailadmin_home")))
    panel = home.index('id="publishing-share-requests')
    assert panel < home.index('id="publishing-dashboard-summary')  # the figures
    rows = home[panel:]
    assert rows.index("Bài hẹn sáng") < rows.index("Bài hẹn chiều")
    assert "07/12/2026 11:00" in rows and "07/12/2026 15:30" in rows
    assert "Bùi Thu Trang" in rows or "Thu Trang Bùi" in rows
