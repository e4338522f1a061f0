"""The blocks an article body is made of: one shared `ArticleBodyBlock`.

Each block renders with its own template in `content/blocks/` and carries a preview
value, so editors see what they pick in the block chooser.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import AudioChooserBlock, VideoChooserBlock

from .embeds import is_supported_video_url

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; h2 for sections, h3 below them (the page title is h1)."""

    text = blocks.CharBlock(label=_("Tiêu đề"), max_length=150)
    level = blocks.ChoiceBlock(
        label=_("Cấp"),
        choices=[("h2", _("Tiêu đề mục (H2)")), ("h3", _("Tiêu đề phụ (H3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Tiêu đề mục")
        template = "cms_content/blocks/heading.html"
        preview_value = {"text": "Ai phải tham gia BHXH bắt buộc?", "level": "h2"}
        description = _("Tiêu đề chia bài viết thành các phần.")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh"))
    alt_text = blocks.CharBlock(
        label=_("Mô tả ảnh (cho người khiếm thị)"),
        required=False,
        max_length=250,
        help_text=_("Để trống thì dùng tiêu đề ảnh."),
    )
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("Nguồn ảnh"), required=False, max_length=100)

    class Meta:
        icon = "image"
        label = _("Ảnh có chú thích")
        template = "cms_content/blocks/image.html"
        description = _("Một ảnh với chú thích và nguồn.")


class VideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(label=_("Video"))
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Video tải lên")
        template = "cms_content/blocks/video.html"
        description = _("Video từ thư viện đa phương tiện.")


class AudioBlock(blocks.StructBlock):
    audio = AudioChooserBlock(label=_("Âm thanh"))
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Âm thanh tải lên")
        template = "cms_content/blocks/audio.html"
        description = _("Bản tin phát thanh, phóng sự âm thanh.")


class VideoEmbedBlock(EmbedBlock):
    """An embed limited to YouTube and Facebook videos, built without any request."""

    def clean(self, value):
        url = getattr(value, "url", value) or ""
        if url and not is_supported_video_url(url):
            host = urlsplit(url).hostname or url
            raise ValidationError(
                _(
                    "Chỉ nhúng được video YouTube hoặc Facebook; địa chỉ từ “%(host)s” "
                    "không được hỗ trợ."
                )
                % {"host": host}
            )
        return super().clean(value)


class EmbedVideoBlock(blocks.StructBlock):
    url = VideoEmbedBlock(
        label=_("Địa chỉ video"),
        help_text=_("Địa chỉ video YouTube hoặc Facebook."),
    )
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Video YouTube/Facebook")
        template = "cms_content/blocks/embed.html"
        description = _("Nhúng video từ YouTube hoặc Facebook.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Trích dẫn"))
    speaker = blocks.CharBlock(label=_("Người nói"), max_length=100)
    role = blocks.CharBlock(label=_("Chức vụ, nơi ở"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("Trích dẫn")
        template = "cms_content/blocks/quote.html"
        preview_value = {
            "text": "Đóng bảo hiểm là để dành cho lúc ốm đau, tuổi già.",
            "speaker": "Bà Hoàng Thị Mai",
            "role": "Chủ hộ kinh doanh, thị trấn Na Dương",
        }
        description = _("Lời của một người dân, cán bộ hay chuyên gia.")


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Câu hỏi"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Trả lời"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Câu hỏi")


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tiêu đề"), required=False, default="Hỏi đáp")
    items = blocks.ListBlock(FAQItemBlock(), label=_("Câu hỏi"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Hỏi đáp")
        template = "cms_content/blocks/faq.html"
        description = _("Các cặp câu hỏi và trả lời, mở ra khi bấm vào.")


class KeyFigureBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Con số"), max_length=20)
    label = blocks.CharBlock(label=_("Ý nghĩa"), max_length=150)

    class Meta:
        icon = "decimal"
        label = _("Con số")


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tiêu đề"), required=False, max_length=150)
    items = blocks.ListBlock(KeyFigureBlock(), label=_("Con số"), min_num=1, max_num=6)

    class Meta:
        icon = "decimal"
        label = _("Con số nổi bật")
        template = "cms_content/blocks/key_figures.html"
        description = _("Vài con số lớn kèm lời giải thích ngắn.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Tài liệu"))
    title = blocks.CharBlock(
        label=_("Tên hiển thị"),
        required=False,
        max_length=150,
        help_text=_("Để trống thì dùng tên tài liệu."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Tài liệu tải về")
        template = "cms_content/blocks/document.html"
        description = _("Tờ gấp, văn bản PDF để người đọc tải về.")


class CallToActionBlock(blocks.StructBlock):
    """A button to a form or service, or a hotline to call; checked for both."""

    kind = blocks.ChoiceBlock(
        label=_("Loại"),
        choices=[("button", _("Nút liên kết")), ("hotline", _("Đường dây nóng"))],
        default="hotline",
    )
    text = blocks.CharBlock(label=_("Lời kêu gọi"), max_length=200)
    label = blocks.CharBlock(label=_("Chữ trên nút"), max_length=60)
    url = blocks.URLBlock(label=_("Địa chỉ liên kết"), required=False)
    phone = blocks.CharBlock(label=_("Số điện thoại"), required=False, max_length=20)

    class Meta:
        icon = "link"
        label = _("Kêu gọi hành động")
        template = "cms_content/blocks/call_to_action.html"
        preview_value = {
            "kind": "hotline",
            "text": "Cần hỏi thêm? Gọi tổng đài BHXH Việt Nam.",
            "label": "Gọi 1900 9068",
            "phone": "1900 9068",
        }
        description = _("Nút dẫn tới dịch vụ công, hoặc số đường dây nóng.")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value.get("kind") == "button" and not value.get("url"):
            errors["url"] = ValidationError(_("Nút liên kết cần một địa chỉ."))
        phone = "".join(ch for ch in value.get("phone") or "" if ch.isdigit())
        if value.get("kind") == "hotline" and not 3 <= len(phone) <= 15:
            errors["phone"] = ValidationError(
                _("Đường dây nóng cần một số điện thoại (3 đến 15 chữ số).")
            )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Đoạn văn"),
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
