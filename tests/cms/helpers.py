"""Helpers for driving the Wagtail admin as a user would, and reading what it shows."""

import html
import re

from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from cms.content.blocks import RICH_TEXT_FEATURES
from tests.conftest import make_image

INTRO = "Từ 01/7/2025 chủ hộ kinh doanh tham gia bảo hiểm xã hội bắt buộc."
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def shown_text(response):
    """The response as a user's browser gets it, HTML and JSON escapes undone.

    StreamField errors reach the page inside a JSON attribute that the admin's
    JavaScript renders, so "\\u1ea3" and "&quot;" are decoded before searching.
    """
    text = html.unescape(response.content.decode())
    return _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def visible_text(content):
    """Text a reader sees on a page: no <script>, <style> or <template> content."""
    soup = BeautifulSoup(content, "html.parser")
    for tag in soup(["script", "style", "template"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def paragraph(html_text="<p>Bảo hiểm xã hội bắt buộc.</p>"):
    return ("paragraph", rich_text(html_text, features=RICH_TEXT_FEATURES))


def article_form(
    title="Hộ kinh doanh tham gia BHXH",
    slug="ho-kinh-doanh-tham-gia-bhxh",
    intro=INTRO,
    cover=None,
    body=None,
    action=None,
    **extra,
):
    """POST data for the article add/edit view; `action` e.g. "action-publish"."""
    data = {
        "title": title,
        "slug": slug,
        "intro": intro,
        "cover_image": str(cover.pk) if cover else "",
        "featured_video": "",
        "body": streamfield(body if body is not None else [paragraph()]),
        "campaign": "",
        "tags": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
        "share_plans": inline_formset([]),
    }
    data.update(extra)
    form = nested_form_data(data)
    if action:
        form[action] = "1"
    return form


def unit_form(unit, **changes):
    """POST data for the unit snippet edit view: the unit as it is, plus `changes`."""
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "slug": unit.slug,
        "parent": unit.parent_id or "",
        "merged_into": unit.merged_into_id or "",
        "sort_order": unit.sort_order,
        "active": unit.active,
    }
    data.update(changes)
    data = {k: ("" if v is None else v) for k, v in data.items()}
    if data.pop("active"):
        data["active"] = "on"
    return data


def share_plan_rows(*plans, initial=0):
    """`share_plans=` for article_form: one row per dict (channel as a Channel or id);
    the first `initial` rows are saved plans (give their "id")."""
    rows = [{"message": "", "publish_at": "", "kind": "", **plan} for plan in plans]
    for row in rows:
        row["channel"] = str(getattr(row.get("channel"), "pk", row.get("channel", "")))
    return inline_formset(rows, initial=initial)


def article(org, title, slug, section="bac-son", intro=None, text=None, **kw):
    """A published article whose words are all given (search tests need that)."""
    kw.setdefault("cover_image", make_image(title, 120, 63))
    return org.article(
        section,
        title=title,
        slug=slug,
        intro=intro or f"Tóm tắt: {title}.",
        body=[{"type": "paragraph", "value": f"<p>{text or title}</p>"}],
        **kw,
    )


CAMPAIGN_EDIT = "wagtailsnippets_cms_core_campaign:edit"


def campaign_form(campaign, new_goals=(), name=None, delete=()):
    rows = [
        {
            "id": goal.pk,
            "metric": goal.metric,
            "target": str(goal.target),
            "unit": goal.unit_id or "",
            "DELETE": "on" if goal.pk in delete else "",
        }
        for goal in campaign.goals.order_by("pk")
    ]
    rows += [
        {"id": "", "metric": metric, "target": str(target), "unit": unit}
        for metric, target, unit in new_goals
    ]
    return nested_form_data(
        {
            "name": name or campaign.name,
            "slug": campaign.slug,
            "description": campaign.description,
            "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(),
            "goals": inline_formset(rows, initial=campaign.goals.count()),
        }
    )
