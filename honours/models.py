"""Honours and commendations (荣誉表彰) conferred on experts and teams."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from base.blocks import BodyBlock
from base.listings import choice_filter, paginate
from base.models import IntroPage, ViewRestrictionsMixin
from experts.models.pages import ExpertProfilePage
from search.segmentation import page_search_fields

HONOURS_PER_PAGE = 20


class HonourType(models.TextChoices):
    TITLE = "title", "荣誉称号"
    AWARD = "award", "表彰奖励"


class HonourIndexPage(IntroPage):
    """/honours/: every honour, newest year first, filterable by type."""

    public_page_cache = True
    public_page_cache_params = ("page", "type")

    parent_page_types = ["home.HomePage"]
    subpage_types = ["honours.HonourPage"]
    max_count = 1

    class Meta:
        verbose_name = "荣誉表彰栏目首页"
        verbose_name_plural = "荣誉表彰栏目首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        honours, type_filter = choice_filter(
            request, HonourPage.objects.child_of(self).live(), "type", "类别", HonourType.choices, "honour_type"
        )
        context.update(
            filters=[type_filter],
            honours=paginate(request, honours.order_by("-date", "-pk"), HONOURS_PER_PAGE),
        )
        return context


class HonourPage(ViewRestrictionsMixin, Page):
    """One honour or commendation: the title conferred, by whom, when, on whom, and why."""

    public_page_cache = True

    honour_type = models.CharField("类别", max_length=10, choices=HonourType.choices)
    conferred_title = models.CharField("授予称号或奖项", max_length=100, help_text="例如“来宾市优秀专家”。")
    conferring_body = models.CharField("授予单位", max_length=100, help_text="例如“中共来宾市委 来宾市人民政府”。")
    date = models.DateField("授予日期", default=timezone.localdate)
    summary = models.TextField("摘要", max_length=300, help_text="用于列表、搜索结果和分享描述。")
    citation = StreamField(BodyBlock(), verbose_name="表彰事迹")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("honour_type"),
                FieldPanel("conferred_title"),
                FieldPanel("conferring_body"),
                FieldPanel("date"),
            ],
            heading="表彰信息",
        ),
        InlinePanel("recipients", heading="获得者", label="获得者", min_num=1),
        FieldPanel("summary"),
        FieldPanel("citation"),
    ]
    search_fields = page_search_fields("conferred_title", "conferring_body", "summary", "citation")

    parent_page_types = ["honours.HonourIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "荣誉表彰"
        verbose_name_plural = "荣誉表彰"

    def recipient_list(self):
        """(live profile or None, display name) for each recipient, profiles loaded in bulk."""
        recipients = list(self.recipients.all())
        profile_ids = [recipient.profile_id for recipient in recipients if recipient.profile_id]
        profiles = ExpertProfilePage.cards(ExpertProfilePage.objects.live().filter(pk__in=profile_ids)).in_bulk()
        listed = []
        for recipient in recipients:
            profile = profiles.get(recipient.profile_id)
            if profile is not None:
                listed.append((profile, profile.title))
            elif recipient.team_name:
                listed.append((None, recipient.team_name))
        return listed

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recipient_list"] = self.recipient_list()
        return context


class HonourRecipient(Orderable):
    """A recipient: an expert (by public profile, never the private record) or a named team."""

    honour = ParentalKey(HonourPage, on_delete=models.CASCADE, related_name="recipients")
    profile = models.ForeignKey(
        ExpertProfilePage,
        verbose_name="专家公开简介",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="honour_recipients",
    )
    team_name = models.CharField("团队名称", max_length=100, blank=True, help_text="表彰对象是团队时填写。")

    panels = [FieldPanel("profile"), FieldPanel("team_name")]

    class Meta(Orderable.Meta):
        verbose_name = "获得者"
        verbose_name_plural = "获得者"

    def clean(self):
        super().clean()
        if bool(self.profile_id) == bool(self.team_name.strip()):
            raise ValidationError("每位获得者请选择一位专家，或填写一个团队名称（二选一）。")
