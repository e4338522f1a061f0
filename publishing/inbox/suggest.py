"""Suggested answers from our own content, for a citizen's question.

Two sources: the FAQ blocks ("Hỏi đáp") of our live articles, and the approved
answers (`ApprovedAnswer`, for everyone or the question's target group). Each is
matched on the words it shares with the question, with or without diacritics
(both sides folded to lower-case ASCII, as the site's search does: "dong bhxh"
finds "đóng BHXH"); the article under which the comment was made counts double.
A suggestion's text ends with the hotline (the home page's, 1900 9068 by default),
the VssID app or the public-service portal when the answer speaks of them, and
the article's short link (the publication of that article on the question's
channel, else the article's address). The person edits it before sending; sent
unchanged, it counts as approved (`answers.write`).
"""

import dataclasses
import re
from html import unescape

from django.db.models import Count, Max
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from cms.content.models import ArticlePage, HomePage, fold
from publishing.lifecycle import PublicationStatus
from publishing.models import ApprovedAnswer, Publication
from publishing.outbox.compose import short_link

SHOWN = 3
DEFAULT_HOTLINE = "1900 9068"
PORTAL = "https://dichvucong.gov.vn"
# Words too common to tell two questions apart (folded).
STOP_WORDS = set(
    "toi ban co phai khong thi la va cua cho voi duoc nhu the nao gi em anh chi "
    "a a! o ai da dang se neu khi con minh bao nhieu vay a? nhe the ".split()
)
WORD = re.compile(r"[a-z0-9]+")


@dataclasses.dataclass
class Suggestion:
    key: str
    question: str
    text: str
    source: str
    score: int


@dataclasses.dataclass(frozen=True)
class Faq:
    """One question-and-answer of an article's FAQ block, its words folded."""

    key: str
    page_id: int
    title: str
    question: str
    answer: str
    words: frozenset


@dataclasses.dataclass
class Candidate:
    key: str
    question: str
    answer: str
    source: str
    score: int
    page_id: int | None = None
    approved: ApprovedAnswer | None = None


def words(text):
    return {w for w in WORD.findall(fold(text)) if len(w) > 1} - STOP_WORDS


def suggestions(question, shown=SHOWN):
    """The best `shown` suggestions for `question`, best first. Only those are
    composed (hotline, link): the others are scored only."""
    return [suggestion(c, question) for c in candidates(question)[:shown]]


def by_key(question, key, shown=50):
    """The suggestion `key` as offered for `question` (None: not offered)."""
    found = next((c for c in candidates(question)[:shown] if c.key == key), None)
    return suggestion(found, question) if found else None


def candidates(question):
    asked = words(question.text)
    if not asked:
        return []
    found = [*faq_candidates(question, asked), *approved_candidates(question, asked)]
    found.sort(key=lambda c: (-c.score, c.key))
    return found


def suggestion(candidate, question):
    page = None
    if candidate.approved is not None:
        page = candidate.approved.article
    elif candidate.page_id is not None:
        # Its address only: the body was read into the FAQ index.
        page = ArticlePage.objects.defer("body").filter(pk=candidate.page_id).first()
    return Suggestion(
        key=candidate.key,
        question=candidate.question,
        text=compose(candidate.answer, question, page, candidate.approved),
        source=candidate.source,
        score=candidate.score,
    )


def faq_candidates(question, asked):
    under = question.publication.page_id if question.publication_id else None
    for faq in faq_index():
        score = len(asked & faq.words)
        if not score:
            continue
        yield Candidate(
            key=faq.key,
            question=faq.question,
            answer=faq.answer,
            source=faq.title,
            score=score * 2 if faq.page_id == under else score,
            page_id=faq.page_id,
        )


# The FAQ of every live article, read once per change of the live articles rather
# than once per question page (reading every article's body took most of that
# page with a few hundred articles, bench/inbox.py). A change made in another
# process moves the version (a publish the latest publishing time, an unpublish or
# a deletion the count); one made in this process also forgets it at once
# (`forget_faqs`, on Wagtail's signals: publishing/apps.py).
_faq_index = {}


def forget_faqs(**kwargs):
    _faq_index.clear()


def faq_index():
    live = ArticlePage.objects.live()
    version = tuple(
        live.aggregate(n=Count("pk"), last=Max("last_published_at")).values()
    )
    if version not in _faq_index:
        _faq_index.clear()
        _faq_index[version] = tuple(read_faqs(live))
    return _faq_index[version]


def read_faqs(pages):
    for page in pages.specific().order_by("pk"):
        for block_index, block in enumerate(page.body):
            if block.block_type != "faq":
                continue
            for n, item in enumerate(block.value["items"]):
                yield Faq(
                    key=f"faq-{page.pk}-{block_index}-{n}",
                    page_id=page.pk,
                    title=page.title,
                    question=item["question"],
                    answer=plain(item["answer"].source),
                    words=frozenset(words(item["question"])),
                )


def approved_candidates(question, asked):
    rows = ApprovedAnswer.objects.filter(active=True).select_related("article")
    rows = rows.defer("article__body")  # its address only
    for row in rows:
        if row.target_group_id and row.target_group_id != question.target_group_id:
            if question.target_group_id is not None:
                continue
        score = len(asked & words(f"{row.question} {row.keywords}"))
        if not score:
            continue
        yield Candidate(
            key=f"approved-{row.pk}",
            question=row.question,
            answer=row.answer,
            source=_("Approved answer"),
            score=score,
            approved=row,
        )


def plain(html):
    return re.sub(r"\s+", " ", unescape(strip_tags(html or ""))).strip()


def compose(answer, question, page=None, approved=None):
    """The answer, then the hotline, VssID or the portal, and the article's link,
    in Vietnamese (what the citizen reads)."""
    folded = fold(answer)
    vssid = "vssid" in folded or (approved is not None and approved.mentions_vssid)
    portal = "dich vu cong" in folded
    portal = portal or (approved is not None and approved.mentions_portal)
    with translation.override("vi"):
        lines = [answer]
        if vssid:
            lines.append(_("Look it up in the VssID app."))
        if portal:
            lines.append(_("Apply online: %(portal)s") % {"portal": PORTAL})
        lines.append(_("Hotline: %(hotline)s") % {"hotline": hotline()})
        if page is not None:
            lines.append(_("More: %(link)s") % {"link": article_link(page, question)})
    return "\n".join(lines)


def hotline():
    home = HomePage.objects.only("hotline").first()
    return (home.hotline if home else "") or DEFAULT_HOTLINE


def article_link(page, question):
    """The short link of the article's post on the question's channel (visits
    counted), else of any of its posts, else its address."""
    posts = Publication.objects.filter(
        page_id=page.pk, status=PublicationStatus.PUBLISHED
    ).exclude(link_code="")
    post = (
        posts.filter(channel_id=question.channel_id).order_by("-pk").first()
        or posts.order_by("-pk").first()
    )
    if post is not None:
        return short_link(post.link_code)
    return page.full_url
