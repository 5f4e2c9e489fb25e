"""News and notices (新闻公告): work news, notices and policy documents."""

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from base.blocks import BodyBlock, DocumentLinkBlock
from base.listings import choice_filter, paginate
from base.models import IntroPage, ViewRestrictionsMixin, publisher_data
from search.segmentation import page_search_fields

NEWS_PER_PAGE = 15


class NewsCategory(models.TextChoices):
    WORK = "work", "工作动态"
    NOTICE = "notice", "通知公告"
    POLICY = "policy", "政策文件"


class NewsIndexPage(IntroPage):
    """/news/: every item, newest first, filterable by category."""

    public_page_cache = True
    public_page_cache_params = ("page", "category")

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = "新闻公告栏目首页"
        verbose_name_plural = "新闻公告栏目首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items, category_filter = choice_filter(
            request, NewsPage.objects.child_of(self).live(), "category", "类别", NewsCategory.choices
        )
        context.update(
            filters=[category_filter],
            items=paginate(request, items.order_by("-date", "-pk"), NEWS_PER_PAGE),
        )
        return context


class NewsPage(ViewRestrictionsMixin, Page):
    """A news item, a notice or a policy document with its attachments."""

    public_page_cache = True

    category = models.CharField("类别", max_length=10, choices=NewsCategory.choices)
    date = models.DateField("发布日期", default=timezone.localdate)
    source = models.CharField("发布单位", max_length=100, blank=True, help_text="例如“来宾市委人才办”。")
    document_number = models.CharField(
        "文号", max_length=60, blank=True, help_text="政策文件的发文字号，例如“来人才发〔2026〕1号”。"
    )
    summary = models.TextField("摘要", max_length=300, help_text="用于列表、搜索结果和分享描述。")
    body = StreamField(BodyBlock(), verbose_name="正文")
    attachments = StreamField(
        [("document", DocumentLinkBlock())],
        verbose_name="附件",
        blank=True,
        help_text="政策文件的正式文本等可下载的附件。",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("date"), FieldPanel("source"), FieldPanel("document_number")],
            heading="发布信息",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    search_fields = page_search_fields("summary", "source", "document_number", "body", "attachments")

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "新闻公告"
        verbose_name_plural = "新闻公告"

    def structured_data(self, request):
        return {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "description": self.summary,
            "datePublished": self.date.isoformat(),
            "articleSection": self.get_category_display(),
            "publisher": publisher_data(request),
            "url": self.get_full_url(request),
        }
