"""The body blocks every editorial page shares: few, well-chosen, accessible."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    alt_text = blocks.CharBlock(
        label="替代文字",
        max_length=200,
        help_text="为视障读者描述图片内容，例如“张某某在实验室指导青年科研人员”。",
    )
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=200)

    class Meta:
        icon = "image"
        label = "图片"
        template = "blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="引文")
    attribution = blocks.CharBlock(label="出处", required=False, max_length=100)

    class Meta:
        icon = "openquote"
        label = "引用"
        template = "blocks/quote_block.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label="视频地址", help_text="粘贴视频页面的网址。")
    caption = blocks.CharBlock(label="视频说明", required=False, max_length=200)

    class Meta:
        icon = "media"
        label = "视频"
        template = "blocks/video_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="链接文字", required=False, max_length=200, help_text="留空则使用文件标题。")

    class Meta:
        icon = "doc-full"
        label = "文件下载"
        template = "blocks/document_link_block.html"


class RelatedExpertsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="标题", required=False, max_length=60, default="相关专家")
    profiles = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="experts.ExpertProfilePage", label="专家公开简介"), label="专家", min_num=1
    )

    class Meta:
        icon = "group"
        label = "相关专家"
        template = "blocks/related_experts_block.html"

    def get_context(self, value, parent_context=None):
        # Only live profiles, photos loaded in bulk: a withdrawn profile disappears from every body.
        # (Imported here because the page models import this module.)
        from experts.models.pages import ExpertProfilePage

        context = super().get_context(value, parent_context)
        chosen = [profile.pk for profile in value["profiles"] if profile is not None]
        live = ExpertProfilePage.cards(ExpertProfilePage.objects.live().filter(pk__in=chosen)).in_bulk()
        context["profiles"] = [live[pk] for pk in chosen if pk in live]
        return context


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label="正文段落", features=PARAGRAPH_FEATURES, template="blocks/paragraph_block.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    document = DocumentLinkBlock()
    related_experts = RelatedExpertsBlock()
