"""The one-stop service guide (一站式服务): one page per service the programme offers."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from base.blocks import BodyBlock
from base.models import IntroPage, ViewRestrictionsMixin, phone_number_validator
from intake.models import ContactPage
from search.segmentation import page_search_fields

GUIDE_FEATURES = ["bold", "ol", "ul", "link", "document-link"]


class ServiceIndexPage(IntroPage):
    """/services/: the guide's table of contents."""

    public_page_cache = True

    parent_page_types = ["home.HomePage"]
    subpage_types = ["services.ServicePage"]
    max_count = 1

    class Meta:
        verbose_name = "一站式服务栏目首页"
        verbose_name_plural = "一站式服务栏目首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.child_of(self).live()
        return context


class ServicePage(ViewRestrictionsMixin, Page):
    """A guide to one service: who qualifies, how to apply, what to bring, whom to call."""

    public_page_cache = True

    summary = models.TextField("服务简介", max_length=300, help_text="用于列表、搜索结果和分享描述。")
    eligibility = RichTextField("服务对象和条件", features=GUIDE_FEATURES)
    how_to_apply = RichTextField("办理流程", features=GUIDE_FEATURES)
    documents_needed = RichTextField("所需材料", features=GUIDE_FEATURES)
    office = models.CharField("承办单位", max_length=100)
    phone = models.CharField("咨询电话", max_length=30, validators=[phone_number_validator])
    body = StreamField(BodyBlock(), verbose_name="补充说明", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("eligibility"),
        FieldPanel("how_to_apply"),
        FieldPanel("documents_needed"),
        MultiFieldPanel([FieldPanel("office"), FieldPanel("phone")], heading="承办单位"),
        FieldPanel("body"),
    ]
    search_fields = page_search_fields("summary", "eligibility", "how_to_apply", "documents_needed", "office", "body")

    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "服务指南"
        verbose_name_plural = "服务指南"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["contact_page"] = ContactPage.objects.live().first()
        return context
