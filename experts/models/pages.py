"""Public pages of the experts app. They never read private record fields.

A profile keeps its own copy of what the expert agreed to publish; the link to the
private record (`expert`) is used only to check that consent and to take the page
down when the expert leaves the database or withdraws consent.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from base.listings import choice_filter, paginate
from base.models import IntroPage, ViewRestrictionsMixin, absolute_image_url
from search.segmentation import page_search_fields

from ..signals import expert_left_public
from ..widgets import ExpertChooser
from .records import Expert, ExpertStatus, TalentTeam

PROFILES_PER_PAGE = 12
# The experts a public profile may show; the page editor's chooser opens for PROFILE_PURPOSE to offer them.
PUBLISHABLE = {"public_profile_consent": True, "status": ExpertStatus.ACTIVE}
PROFILE_PURPOSE = "profile"


class ExpertDirectoryPage(IntroPage):
    """/experts/: the public profiles, filterable by field and talent team, paginated."""

    public_page_cache = True
    public_page_cache_params = ("page", "field", "team")

    parent_page_types = ["home.HomePage"]
    subpage_types = ["experts.ExpertProfilePage"]
    max_count = 1

    class Meta:
        verbose_name = "专家名录页面"
        verbose_name_plural = "专家名录页面"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        profiles = ExpertProfilePage.objects.child_of(self).live()
        fields = sorted(set(profiles.exclude(field="").values_list("field", flat=True)))
        profiles, field_filter = choice_filter(request, profiles, "field", "专业领域", [(f, f) for f in fields])
        profiles, team_filter = choice_filter(request, profiles, "team", "人才队伍", TalentTeam.choices, "talent_team")
        context.update(
            filters=[field_filter, team_filter],
            profiles=paginate(request, ExpertProfilePage.cards(profiles.order_by("title")), PROFILES_PER_PAGE),
        )
        return context


class ExpertProfilePage(ViewRestrictionsMixin, Page):
    """专家简介: what one expert agreed to publish. The page title is the expert's name."""

    public_page_cache = True

    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name="专家库记录",
        null=True,
        on_delete=models.SET_NULL,
        related_name="profile_pages",
        limit_choices_to=PUBLISHABLE,
        help_text="只能选择在库且本人已同意公开简介的专家。专家调出或撤回同意后，本页面自动下线。",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="照片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit_name = models.CharField("工作单位", max_length=100, blank=True, help_text="仅在本人同意公开工作单位时填写。")
    professional_title = models.CharField(
        "职称和职务", max_length=100, blank=True, help_text="仅在本人同意公开职称和职务时填写。"
    )
    field = models.CharField(
        "专业领域", max_length=50, help_text="专家名录按此筛选，请使用统一的写法，例如“医疗卫生”。"
    )
    talent_team = models.CharField("人才队伍", max_length=30, choices=TalentTeam.choices)
    summary = models.TextField("简介", max_length=300, help_text="一两句话介绍专家，用于名录、搜索结果和分享描述。")
    achievements = RichTextField("主要成就", blank=True, features=["bold", "italic", "ol", "ul", "link"])

    content_panels = [
        FieldPanel("title", heading="姓名"),
        FieldPanel(
            "expert",
            widget=ExpertChooser(PROFILE_PURPOSE, experts=Expert.objects.filter(**PUBLISHABLE), public=True),
        ),
        FieldPanel("photo"),
        MultiFieldPanel(
            [FieldPanel("unit_name"), FieldPanel("professional_title"), FieldPanel("field"), FieldPanel("talent_team")],
            heading="公开信息",
        ),
        FieldPanel("summary"),
        FieldPanel("achievements"),
    ]
    search_fields = page_search_fields("unit_name", "professional_title", "field", "summary", "achievements")

    parent_page_types = ["experts.ExpertDirectoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = "专家公开简介"
        verbose_name_plural = "专家公开简介"

    def clean(self):
        super().clean()
        expert = self.expert
        if expert is None:
            raise ValidationError({"expert": "请选择专家库中的记录。"})
        errors = {}
        if not (expert.public_profile_consent and expert.status == ExpertStatus.ACTIVE):
            errors["expert"] = "该专家不在库或未同意公开简介，不能发布公开简介。"
        if self.unit_name and not expert.public_shows_unit:
            errors["unit_name"] = "该专家未同意公开工作单位，请留空。"
        if self.professional_title and not expert.public_shows_title:
            errors["professional_title"] = "该专家未同意公开职称和职务，请留空。"
        if errors:
            raise ValidationError(errors)

    @property
    def social_image(self):
        return self.photo

    @property
    def photo_alt(self):
        return f"{self.title}的照片"

    def structured_data(self, request):
        """schema.org Person built from this page's public fields only, never from the record."""
        data = {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": self.title,
            "description": self.summary,
            "knowsAbout": self.field,
            "url": self.get_full_url(request),
        }
        if self.professional_title:
            data["jobTitle"] = self.professional_title
        if self.unit_name:
            data["worksFor"] = {"@type": "Organization", "name": self.unit_name}
        if self.photo:
            data["image"] = absolute_image_url(request, self.photo)
        return data

    @staticmethod
    def cards(profiles):
        """`profiles` with what a profile card shows loaded in bulk (photo and its renditions)."""
        return profiles.select_related("photo").prefetch_related("photo__renditions")

    def get_context(self, request, *args, **kwargs):
        from honours.models import HonourPage
        from spotlight.models import SpotlightArticlePage

        context = super().get_context(request, *args, **kwargs)
        context["honours"] = (
            HonourPage.objects.live().filter(recipients__profile=self).distinct().order_by("-date", "-pk")
        )
        context["articles"] = (
            SpotlightArticlePage.objects.live()
            .filter(related_experts__profile=self)
            .distinct()
            .order_by("-date", "-pk")
        )
        return context


def take_down_profiles(expert):
    """Unpublishes the expert's profile pages and stops any review or schedule that would publish them again."""
    for profile in ExpertProfilePage.objects.filter(expert=expert):
        workflow_state = profile.current_workflow_state
        if workflow_state is not None:
            workflow_state.cancel()
        profile.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
        if profile.live:
            profile.unpublish()


@receiver(expert_left_public, dispatch_uid="experts-take-down-profiles")
def take_down_profiles_when_expert_leaves(sender, expert, **kwargs):
    take_down_profiles(expert)


@receiver(pre_delete, sender="experts.Expert", dispatch_uid="experts-take-down-profiles-on-delete")
def take_down_profiles_before_expert_is_deleted(sender, instance, **kwargs):
    take_down_profiles(instance)
