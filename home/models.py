from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from base.models import PortalSettings, ViewRestrictionsMixin, publisher_data
from search.segmentation import page_search_fields

from .blocks import HomeBlock


class HomePage(ViewRestrictionsMixin, Page):
    public_page_cache = True

    headline = models.CharField("主标题", max_length=100, blank=True)
    intro = RichTextField("导语", blank=True, features=["bold", "italic", "link"])
    body = StreamField(
        HomeBlock(),
        verbose_name="首页栏目",
        blank=True,
        help_text="头条、最新专家风采、荣誉表彰、通知公告、热线邮箱和快捷入口，可增删和调整顺序。",
    )

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = page_search_fields("intro")

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "experts.ExpertDirectoryPage",
        "spotlight.SpotlightIndexPage",
        "honours.HonourIndexPage",
        "news.NewsIndexPage",
        "services.ServiceIndexPage",
        "intake.ContactPage",
        "base.StandardPage",
    ]
    max_count = 1

    def structured_data(self, request):
        return {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": PortalSettings.for_request(request).portal_name,
            "url": self.get_full_url(request),
            "publisher": publisher_data(request),
            "potentialAction": {
                "@type": "SearchAction",
                "target": request.build_absolute_uri(reverse("search")) + "?q={search_term_string}",
                "query-input": "required name=search_term_string",
            },
        }

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"
