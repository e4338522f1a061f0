"""The permission matrix (issue 6): every role x every action x the target in the
person's own unit, in a unit below their unit, or in another unit.

The target is always Bắc Sơn (its article, channel, share request, publications):
- own: the role is held on Bắc Sơn;
- below: the role is held on the region, above Bắc Sơn (a role covers the units below);
- other: the role is held on Lộc Bình, a sibling district.
Each action is done the way a browser would (direct URLs and forged POSTs included)
and its outcome read from what happened, never from our permission functions alone:
allowed, or refused (403, 404, Wagtail's redirect home, a form error) with nothing
changed and nothing of Bắc Sơn shown.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from cms.core.models import Campaign, CampaignGoal, GoalMetric, Role
from cms.core.records import PressCoverage
from publishing.models import (
    Channel,
    Publication,
    PublicationStatus,
    PublishingPause,
    ShareRequest,
    ShareRequestStatus,
)
from publishing.permissions import may

pytestmark = pytest.mark.django_db
S = PublicationStatus
RANK = {None: -1, Role.EDITOR: 0, Role.APPROVER: 1, Role.MANAGER: 2, Role.LEAD: 3}
# The lowest role each action takes on the target's unit (or a unit above it).
NEEDS = {
    "page edit": Role.EDITOR,
    "page publish": Role.APPROVER,
    "plan": Role.EDITOR,
    "approve": Role.APPROVER,
    "cancel (POST)": Role.APPROVER,
    "correct": Role.APPROVER,
    "withdraw": Role.APPROVER,
    "pause": Role.MANAGER,
    "connect channel": Role.MANAGER,
    "set goals": Role.MANAGER,
    "import": Role.EDITOR,
    "export": Role.EDITOR,
    "dashboard": Role.EDITOR,
    "calendar": Role.EDITOR,
}
ARTICLE = "Bài của Bắc Sơn cần bảo vệ"
CHANNEL = "Trang riêng của Bắc Sơn"


def expected(role, relation, action):
    reaches = relation in ("own", "below")
    return role is not None and reaches and RANK[role] >= RANK[NEEDS[action]]


def refused(response):
    """403, 404, Wagtail's redirect home, or to the login page (no admin access)."""
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.rstrip("/").endswith("/admin") or "/admin/login/" in location


def leaks(response):
    body = response.content.decode(errors="replace") if response.content else ""
    return ARTICLE in body or CHANNEL in body


class World:
    def __init__(self, org):
        self.org = org
        self.article = org.article("bac-son", title=ARTICLE)
        self.channel = Channel(
            unit=org.bac_son, network="facebook", name=CHANNEL, external_id="5001"
        )
        self.channel.set_credentials({"page_token": "t"})
        self.channel.save()
        later = timezone.now() + datetime.timedelta(days=2)
        self.scheduled = Publication.objects.create(
            page=self.article, channel=self.channel, publish_at=later, round=1
        )
        self.published = Publication.objects.create(
            page=self.article,
            channel=self.channel,
            publish_at=timezone.now(),
            round=2,
            status=S.PUBLISHED,
            external_id="5001_1",
            permalink="https://www.facebook.com/5001/posts/1",
            published_at=timezone.now(),
        )
        self.request = ShareRequest.objects.create(
            page_id=self.article.pk, channel=self.channel, message="Xin duyệt"
        )
        today = timezone.localdate()
        self.campaign = Campaign.objects.create(
            name="Chiến dịch ma trận",
            slug="ma-tran",
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=30),
        )
        self.article.campaign = self.campaign
        self.article.save_revision().publish()


# Each action: (client, user, world) -> True when it was allowed (and took effect).
def page_edit(client, user, w):
    response = client.get(reverse("wagtailadmin_pages:edit", args=(w.article.pk,)))
    return response.status_code == 200


def page_publish(client, user, w):
    user = type(user).objects.get(pk=user.pk)
    return w.article.permissions_for_user(user).can_publish()


def plan(client, user, w):
    from publishing.editor.plans import plannable_channels

    offered = plannable_channels(user).filter(pk=w.channel.pk).exists()
    assert offered == may(user, "plan", w.channel)
    return offered


def approve(client, user, w):
    url = reverse("publishing_share_requests:approve", args=(w.request.pk,))
    response = client.post(url)
    w.request.refresh_from_db()
    done = w.request.status == ShareRequestStatus.APPROVED
    assert done or refused(response) or response.status_code == 302
    return done


def cancel(client, user, w):
    url = reverse("publishing_publications:action", args=(w.scheduled.pk, "cancel"))
    client.post(url)
    w.scheduled.refresh_from_db()
    return w.scheduled.status == S.CANCELLED


def correct(client, user, w):
    url = reverse("publishing_publications:action", args=(w.published.pk, "correct"))
    response = client.get(url)
    if response.status_code == 200:
        return True
    assert refused(response) and not leaks(response)
    return False


def withdraw(client, user, w):
    url = reverse("publishing_publications:action", args=(w.published.pk, "withdraw"))
    response = client.get(url)
    if response.status_code == 200:
        return True
    assert refused(response) and not leaks(response)
    return False


def pause(client, user, w):
    form = {"scope": "unit", "unit": w.org.bac_son.pk, "reason": "Ma trận quyền"}
    client.post(reverse("publishing_pauses:add"), form)
    return PublishingPause.objects.filter(unit=w.org.bac_son).exists()


def connect_channel(client, user, w):
    """Changing the Bắc Sơn channel (the connect flow's pick step offers the same
    units): its edit page, and a forged POST renaming it."""
    url = reverse("publishing_channels:edit", args=(w.channel.pk,))
    response = client.get(url)
    if response.status_code != 200:
        assert refused(response) and not leaks(response)
    form = {
        "unit": w.org.bac_son.pk,
        "network": "facebook",
        "name": "Đổi tên",
        "external_id": "5001",
        "status": "active",
        "posting_slots": "",
        "token": "",
    }
    client.post(url, form)
    w.channel.refresh_from_db()
    changed = w.channel.name == "Đổi tên"
    assert changed == (response.status_code == 200)
    return changed


def set_goals(client, user, w):
    data = nested_form_data(
        {
            "name": w.campaign.name,
            "slug": w.campaign.slug,
            "description": w.campaign.description,
            "starts_on": w.campaign.starts_on.isoformat(),
            "ends_on": w.campaign.ends_on.isoformat(),
            "goals": inline_formset(
                [
                    {
                        "id": "",
                        "metric": GoalMetric.PRESS_ITEMS,
                        "target": "7",
                        "unit": w.org.bac_son.pk,
                    }
                ]
            ),
        }
    )
    url = reverse("wagtailsnippets_cms_core_campaign:edit", args=(w.campaign.pk,))
    client.post(url, data)
    return CampaignGoal.objects.filter(campaign=w.campaign, unit=w.org.bac_son).exists()


def import_(client, user, w):
    """A press item for Bắc Sơn through the import (preview, then confirm)."""
    text = (
        "Chiến dịch,Đơn vị,Cơ quan báo chí,Tiêu đề,Đường dẫn,Ngày đăng\n"
        f"{w.campaign.slug},bac-son,Báo Lạng Sơn,Tin ma trận,,"
        f"{timezone.localdate():%d/%m/%Y}\n"
    )
    url = reverse("wagtailsnippets_cms_core_presscoverage:import")
    upload = SimpleUploadedFile("bao-chi.csv", text.encode(), content_type="text/csv")
    response = client.post(url, {"file": upload})
    if response.status_code != 200 or "token" not in (response.context or {}):
        return False
    client.post(url, {"token": response.context["token"]})
    return PressCoverage.objects.filter(title="Tin ma trận").exists()


def export(client, user, w):
    url = reverse("publishing_dashboard:export_csv")
    response = client.get(url, {"campaign": w.campaign.pk, "unit": w.org.bac_son.pk})
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 400, 403) and not leaks(response)
    return False


def dashboard(client, user, w):
    url = reverse("publishing_dashboard:index")
    response = client.get(url, {"campaign": w.campaign.pk, "unit": w.org.bac_son.pk})
    if response.status_code != 200:
        assert refused(response)
        return False
    context = response.context
    shown = context is not None and context.get("scope") is not None
    if not shown:
        assert not leaks(response)
    return shown


def calendar(client, user, w):
    day = timezone.localtime(w.scheduled.publish_at).date().isoformat()
    url = reverse("publishing_calendar:index")
    response = client.get(url, {"date": day, "unit": w.org.bac_son.pk})
    if response.status_code != 200:
        assert refused(response)
        return False
    shown = ARTICLE in response.content.decode()
    return shown


# In this order: the read-only checks first (the calendar looks for the scheduled
# post, which "cancel" takes away), then the actions that change things.
ACTIONS = {
    "page edit": page_edit,
    "page publish": page_publish,
    "plan": plan,
    "dashboard": dashboard,
    "export": export,
    "calendar": calendar,
    "correct": correct,
    "withdraw": withdraw,
    "approve": approve,
    "cancel (POST)": cancel,
    "pause": pause,
    "connect channel": connect_channel,
    "set goals": set_goals,
    "import": import_,
}
assert set(ACTIONS) == set(NEEDS)


CASES = [
    (role, relation)
    for role in (Role.EDITOR, Role.APPROVER, Role.MANAGER, Role.LEAD)
    for relation in ("own", "below", "other")
] + [(None, "none")]  # a person without any role


@pytest.mark.parametrize("role, relation", CASES)
def test_permission_matrix(client, org, role, relation):
    unit = {"own": org.bac_son, "below": org.region, "other": org.loc_binh}.get(
        relation
    )
    user = org.user(f"u-{role}-{relation}", role, unit)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    world = World(org)
    mismatches = []
    for name, action in ACTIONS.items():
        got = action(client, user, world)
        want = expected(role, relation, name)
        if got != want:
            mismatches.append(f"{name}: {'allowed' if got else 'refused'}")
    assert not mismatches, f"{role} on {relation} unit: {mismatches}"
