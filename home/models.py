from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    headline = models.CharField("主标题", max_length=100, blank=True)
    intro = RichTextField("导语", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu()
        return context

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"
