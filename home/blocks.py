"""The home page's blocks: editors choose, order and word each part of the home page."""

from wagtail import blocks
from wagtail.models import Site
from wagtail.snippets.blocks import SnippetChooserBlock

from base.page_cache import remembered
from honours.models import HonourPage
from news.models import NewsCategory, NewsPage
from spotlight.models import SpotlightArticlePage


class LeadStoryBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        label="头条文章",
        page_type=["spotlight.SpotlightArticlePage", "honours.HonourPage", "news.NewsPage"],
    )
    heading = blocks.CharBlock(label="栏目标题", required=False, max_length=30, default="头条")

    class Meta:
        icon = "pick"
        label = "头条"
        template = "blocks/home_lead_story_block.html"


class LatestListBlock(blocks.StructBlock):
    """A heading and the newest live items of one kind; subclasses say which items."""

    heading = blocks.CharBlock(label="栏目标题", max_length=30)
    count = blocks.IntegerBlock(label="显示条数", min_value=1, max_value=12, default=4)

    def items(self, value):
        raise NotImplementedError

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        items = list(self.items(value)[: value["count"]])
        context["items"] = items
        if items:
            # The section's index, where the "more" link goes: looked up once until anything is published.
            request = context.get("request")
            site = Site.find_for_request(request)
            key = ("section-url", site.pk if site else None, type(items[0]).__name__)
            context["section_url"] = remembered(key, lambda: items[0].get_parent().get_url(request))
        return context


class LatestSpotlightsBlock(LatestListBlock):
    column = SnippetChooserBlock("spotlight.SpecialColumn", label="限定专栏", required=False)

    class Meta:
        icon = "user"
        label = "最新专家风采"
        template = "blocks/home_latest_spotlights_block.html"

    def items(self, value):
        articles = SpotlightArticlePage.objects.live()
        if value["column"]:
            articles = articles.filter(columns=value["column"])
        return SpotlightArticlePage.listing(articles)


class LatestHonoursBlock(LatestListBlock):
    class Meta:
        icon = "trophy"
        label = "最新荣誉表彰"
        template = "blocks/home_latest_honours_block.html"

    def items(self, value):
        return HonourPage.objects.live().order_by("-date", "-pk")


class LatestNewsBlock(LatestListBlock):
    category = blocks.ChoiceBlock(label="类别", choices=NewsCategory.choices, required=False)

    class Meta:
        icon = "list-ul"
        label = "最新新闻公告"
        template = "blocks/home_latest_news_block.html"

    def items(self, value):
        news = NewsPage.objects.live()
        if value["category"]:
            news = news.filter(category=value["category"])
        return news.order_by("-date", "-pk")


class ContactCardBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="栏目标题", max_length=30, default="专家人才服务通道")
    text = blocks.TextBlock(label="说明", required=False, max_length=200)

    class Meta:
        icon = "mail"
        label = "热线和邮箱"
        template = "blocks/home_contact_card_block.html"
        help_text = "热线、邮箱和办公时间取自“站点设置”。"


class QuickLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label="页面")
    label = blocks.CharBlock(label="显示文字", required=False, max_length=20, help_text="留空则使用页面标题。")


class QuickLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="栏目标题", max_length=30, default="快捷入口")
    links = blocks.ListBlock(QuickLinkBlock(), label="链接", min_num=1, max_num=12)

    class Meta:
        icon = "link"
        label = "快捷入口"
        template = "blocks/home_quick_links_block.html"


class HomeBlock(blocks.StreamBlock):
    lead_story = LeadStoryBlock()
    latest_spotlights = LatestSpotlightsBlock()
    latest_honours = LatestHonoursBlock()
    latest_news = LatestNewsBlock()
    contact_card = ContactCardBlock()
    quick_links = QuickLinksBlock()
