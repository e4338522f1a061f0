"""The blocks an article body is made of: one shared `ArticleBodyBlock`.

Each block renders with its own template in `content/blocks/` and carries a preview
value, so editors see what they pick in the block chooser.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import AudioChooserBlock, VideoChooserBlock

from cms.content.embeds import is_supported_video_url

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; h2 for sections, h3 below them (the page title is h1)."""

    text = blocks.CharBlock(label=_("Title"), max_length=150)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (H2)")), ("h3", _("Subheading (H3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Section heading")
        template = "cms_content/blocks/heading.html"
        preview_value = {"text": "Ai phải tham gia BHXH bắt buộc?", "level": "h2"}
        description = _("A heading that divides the article into sections.")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=pgettext_lazy("block", "Image"))
    alt_text = blocks.CharBlock(
        label=_("Image description (for visually impaired readers)"),
        required=False,
        max_length=250,
        help_text=_("Leave blank to use the image title."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("Image credit"), required=False, max_length=100)

    class Meta:
        icon = "image"
        label = _("Captioned image")
        template = "cms_content/blocks/image.html"
        description = _("An image with a caption and credit.")


class VideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(label=_("Video"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Uploaded video")
        template = "cms_content/blocks/video.html"
        description = _("A video from the media library.")


class AudioBlock(blocks.StructBlock):
    audio = AudioChooserBlock(label=_("Audio"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Uploaded audio")
        template = "cms_content/blocks/audio.html"
        description = _("Radio bulletins and audio reports.")


class VideoEmbedBlock(EmbedBlock):
    """An embed limited to YouTube and Facebook videos, built without any request."""

    def clean(self, value):
        url = getattr(value, "url", value) or ""
        if url and not is_supported_video_url(url):
            host = urlsplit(url).hostname or url
            raise ValidationError(
                _(
                    "Only YouTube or Facebook videos can be embedded; addresses from "
                    "‘%(host)s’ are not supported."
                )
                % {"host": host}
            )
        return super().clean(value)


class EmbedVideoBlock(blocks.StructBlock):
    url = VideoEmbedBlock(
        label=_("Video URL"),
        help_text=_("The address of a YouTube or Facebook video."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("YouTube/Facebook video")
        template = "cms_content/blocks/embed.html"
        description = _("Embed a video from YouTube or Facebook.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=100)
    role = blocks.CharBlock(
        label=_("Position or place of residence"), required=False, max_length=150
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms_content/blocks/quote.html"
        preview_value = {
            "text": "Đóng bảo hiểm là để dành cho lúc ốm đau, tuổi già.",
            "speaker": "Bà Hoàng Thị Mai",
            "role": "Chủ hộ kinh doanh, thị trấn Na Dương",
        }
        description = _("The words of a resident, an official or an expert.")


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, default="Hỏi đáp")
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("FAQ")
        template = "cms_content/blocks/faq.html"
        description = _("Questions with answers that expand when clicked.")


class KeyFigureBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Number"), max_length=20)
    label = blocks.CharBlock(label=_("Meaning"), max_length=150)

    class Meta:
        icon = "decimal"
        label = _("Figure")


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=150)
    items = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1, max_num=6)

    class Meta:
        icon = "decimal"
        label = _("Key figures")
        template = "cms_content/blocks/key_figures.html"
        description = _("A few big numbers, each with a short explanation.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Display name"),
        required=False,
        max_length=150,
        help_text=_("Leave blank to use the document title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "cms_content/blocks/document.html"
        description = _("Leaflets and PDF documents for readers to download.")


class CallToActionBlock(blocks.StructBlock):
    """A button to a form or service, or a hotline to call; checked for both."""

    kind = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[("button", _("Link button")), ("hotline", _("Hotline"))],
        default="hotline",
    )
    text = blocks.CharBlock(label=_("Message"), max_length=200)
    label = blocks.CharBlock(label=_("Button text"), max_length=60)
    url = blocks.URLBlock(label=_("Link URL"), required=False)
    phone = blocks.CharBlock(label=_("Phone number"), required=False, max_length=20)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "cms_content/blocks/call_to_action.html"
        preview_value = {
            "kind": "hotline",
            "text": "Cần hỏi thêm? Gọi tổng đài BHXH Việt Nam.",
            "label": "Gọi 1900 9068",
            "phone": "1900 9068",
        }
        description = _("A button to a public service, or a hotline number.")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value.get("kind") == "button" and not value.get("url"):
            errors["url"] = ValidationError(_("A link button needs a URL."))
        phone = "".join(ch for ch in value.get("phone") or "" if ch.isdigit())
        if value.get("kind") == "hotline" and not 3 <= len(phone) <= 15:
            errors["phone"] = ValidationError(
                _("A hotline needs a phone number (3 to 15 digits).")
            )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="cms_content/blocks/paragraph.html",
    )
    image = CaptionedImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    embed = EmbedVideoBlock()
    quote = QuoteBlock()
    faq = FAQBlock()
    key_figures = KeyFiguresBlock()
    document = DocumentBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {"heading": {"max_num": 30}}
