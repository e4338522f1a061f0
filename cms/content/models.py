"""Pages of the campaign site: home, the news index, a section per unit, articles.

Tree: HomePage -> ArticleIndexPage ("Tin tức") -> UnitSectionPage (one per unit) ->
ArticlePage. The section an article lives in says which unit owns it, and Wagtail's
page permissions on that section decide who may write and publish there.
"""

import json

from anyascii import anyascii
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from cms.content.blocks import ArticleBodyBlock
from cms.content.extensions import SHARING_PANELS
from cms.content.page_forms import ArticlePageForm
from cms.content.slugs import AsciiSlug
from cms.core.hidden_chars import no_hidden_chars

ARTICLES_PER_PAGE = 12
OG_IMAGE_SPEC = "fill-1200x630|format-jpeg|jpegquality-80"
CARD_IMAGE_SPEC = "fill-480x270|format-webp"


def fold(text):
    """Lower-case ASCII: "Bảo hiểm Đăng ký" -> "bao hiem dang ky" (for search)."""
    return anyascii(text or "").lower()


def absolute(url):
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.BASE_URL + url


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("trang", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def article_cards(queryset):
    """Articles as shown in lists: what the card template needs, in few queries."""
    return (
        queryset.live()
        .select_related("cover_image")
        .prefetch_related("target_groups", "cover_image__renditions")
        .order_by("-first_published_at", "-pk")
    )


class KnownChildRouting:
    """Route to a child in one query: each of our containers holds one page type.

    Wagtail's own route takes two (the base page, then its specific row) at every
    level of the URL. Children of another type, if any, fall back to it.
    """

    def child_queryset(self):
        raise NotImplementedError

    def route(self, request, path_components):
        if path_components:
            child = self.child_queryset().filter(slug=path_components[0]).first()
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)


class VisibleTitle:
    """Page titles refuse invisible characters (cms.core.hidden_chars): the title
    goes into the address, every post, the menus and the search index."""

    def clean(self):
        super().clean()
        for name in ("title", "seo_title"):
            try:
                no_hidden_chars(getattr(self, name, ""))
            except ValidationError as error:
                raise ValidationError({name: error}) from None


class HomePage(AsciiSlug, VisibleTitle, KnownChildRouting, Page):
    """The campaign's front page: what changed, for whom, and the latest news."""

    hero_title = models.CharField(_("headline"), max_length=150)
    hero_text = models.TextField(_("introductory text"), max_length=400, blank=True)
    hotline = models.CharField(_("hotline"), max_length=20, default="1900 9068")

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hotline"),
    ]
    subpage_types = ["cms_content.ArticleIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def child_queryset(self):
        return ArticleIndexPage.objects.child_of(self)

    def get_context(self, request, *args, **kwargs):
        from cms.core.models import TargetGroup

        context = super().get_context(request, *args, **kwargs)
        context["latest"] = article_cards(ArticlePage.objects.descendant_of(self))[:6]
        context["target_groups"] = TargetGroup.objects.all()
        context["news_index"] = ArticleIndexPage.objects.live().first()
        return context


class ArticleIndexPage(AsciiSlug, VisibleTitle, KnownChildRouting, Page):
    """All articles, filterable by target group (?nhom=) and unit (?don-vi=)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms_content.UnitSectionPage"]
    parent_page_types = ["cms_content.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("news index page")

    def child_queryset(self):
        return UnitSectionPage.objects.child_of(self).select_related("unit")

    def filtered_articles(self, request):
        from cms.core.models import TargetGroup, Unit

        articles = ArticlePage.objects.descendant_of(self)
        group = TargetGroup.objects.filter(slug=request.GET.get("nhom") or "").first()
        unit = Unit.objects.filter(slug=request.GET.get("don-vi") or "").first()
        if group:
            articles = articles.filter(target_groups=group)
        if unit:
            section = UnitSectionPage.objects.filter(unit=unit).first()
            owned = Q(path__startswith=section.path) if section else Q(pk__in=[])
            articles = articles.filter(owned | Q(units=unit)).distinct()
        return article_cards(articles), group, unit

    def get_context(self, request, *args, **kwargs):
        from cms.core.models import TargetGroup, Unit

        context = super().get_context(request, *args, **kwargs)
        articles, group, unit = self.filtered_articles(request)
        context.update(
            articles=paginate(request, articles),
            selected_group=group,
            selected_unit=unit,
            target_groups=TargetGroup.objects.all(),
            units=Unit.objects.active(),
            filter_query=_query_without_page(request),
        )
        return context


class UnitSectionPage(AsciiSlug, VisibleTitle, KnownChildRouting, Page):
    """The articles of one unit; one per unit, its permissions follow the roles."""

    unit = models.OneToOneField(
        "cms_core.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="section",
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("unit"), FieldPanel("intro")]
    subpage_types = ["cms_content.ArticlePage"]
    parent_page_types = ["cms_content.ArticleIndexPage"]

    class Meta:
        verbose_name = _("unit section")

    def child_queryset(self):
        return ArticlePage.objects.child_of(self).select_related("cover_image")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(
            request, article_cards(ArticlePage.objects.child_of(self))
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms_content.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(AsciiSlug, VisibleTitle, Page):
    """An article about the law for one or more target groups.

    Its cover image is required to publish (drafts may lack it): every share on
    Facebook and Zalo shows it, and Zalo refuses an article without a cover.
    """

    intro = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_(
            "Up to 300 characters; shown under the title and when the article is "
            "shared."
        ),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required to publish; 1200×630 (landscape) works best."),
    )
    featured_video = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("featured video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: publish the article as a video."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    campaign = models.ForeignKey(
        "cms_core.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    target_groups = ParentalManyToManyField(
        "cms_core.TargetGroup", verbose_name=_("target groups"), blank=True
    )
    units = ParentalManyToManyField(
        "cms_core.Unit",
        verbose_name=_("related units"),
        blank=True,
        help_text=_("The units the article is about."),
    )
    tags = ClusterTaggableManager(
        verbose_name=_("tags"), through=ArticlePageTag, blank=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        MediaChooserPanel("featured_video", media_type="video"),
        FieldPanel("body"),
    ]
    classification_panels = [
        FieldPanel("campaign"),
        MultiFieldPanel(
            [
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("units", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("Classification"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(classification_panels, heading=_("Classification")),
            ObjectList(SHARING_PANELS, heading=_("Social sharing")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(
                Page.settings_panels, heading=pgettext_lazy("page tab", "Settings")
            ),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("search_folded_title", boost=2),
        index.AutocompleteField("search_folded_title"),
        index.SearchField("search_folded_body"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["cms_content.UnitSectionPage"]
    subpage_types = []
    base_form_class = ArticlePageForm

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def search_folded_title(self):
        return fold(self.title)

    def search_folded_body(self):
        return fold(f"{self.intro} {self.plain_body}")

    @cached_property
    def plain_body(self):
        return " ".join(filter(None, (_block_text(b.value) for b in self.body)))

    @cached_property
    def owner_unit(self):
        section = self.get_parent().specific
        return getattr(section, "unit", None)

    @cached_property
    def canonical_url(self):
        """The public URL (memoised: the dispatcher composes one article for many
        channels; a moved page is a new instance in every request)."""
        site_id, root_url, path = self.get_url_parts() or (None, None, None)
        return settings.BASE_URL + path if path is not None else None

    def og_image(self):
        if not self.cover_image_id:
            return None
        return self.cover_image.get_rendition(OG_IMAGE_SPEC)

    def json_ld(self):
        """NewsArticle structured data, safe to put inside a <script> element."""
        image = self.og_image()
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "description": self.intro,
            "mainEntityOfPage": self.canonical_url,
            "inLanguage": "vi",
            "datePublished": _iso(self.first_published_at),
            "dateModified": _iso(self.last_published_at or self.first_published_at),
            "author": {
                "@type": "Organization",
                "name": str(settings.SITE_ORGANISATION),
            },
            "publisher": {
                "@type": "Organization",
                "name": str(settings.SITE_ORGANISATION),
            },
        }
        if image:
            data["image"] = [absolute(image.url)]
        text = json.dumps(data, ensure_ascii=False)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e")
        return mark_safe(text.replace("&", "\\u0026"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        parent = self.get_parent()
        context["related"] = article_cards(
            ArticlePage.objects.sibling_of(self, inclusive=False)
        ).filter(path__startswith=parent.path)[:3]
        return context


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


def _iso(value):
    return value.isoformat() if value else None


def _block_text(value):
    """Plain text of a block value, whatever its shape (for the search index)."""
    if value is None:
        return ""
    if hasattr(value, "source"):  # RichText
        return strip_tags(value.source)
    if isinstance(value, str):
        return strip_tags(value)
    if isinstance(value, dict) or hasattr(value, "items"):
        return " ".join(_block_text(v) for v in dict(value).values())
    if isinstance(value, (list, tuple)) or hasattr(value, "__iter__"):
        return " ".join(_block_text(v) for v in value)
    return ""
