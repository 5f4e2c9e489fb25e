import copy

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, Site

from search.segmentation import page_search_fields

from .blocks import BodyBlock
from .page_cache import remembered

phone_number_validator = RegexValidator(
    r"^[0-9+\-\s（）()]{5,30}$",
    "请输入有效的电话号码，例如 0772-4278067。",
)


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """What editors change without a deploy: the portal's name and contact details."""

    portal_name = models.CharField("平台名称", max_length=100, default="来宾市党委联系服务专家人才平台")
    portal_short_name = models.CharField("平台简称", max_length=30, default="来宾专家人才平台")
    hotline = models.CharField(
        "专家人才热线", max_length=30, default="0772-4278067", validators=[phone_number_validator]
    )
    mailbox = models.EmailField("专用电子邮箱", default="lbsrcb@126.com")
    office_name = models.CharField("主办单位", max_length=100, default="中共来宾市委人才工作领导小组办公室")
    office_address = models.CharField("办公地址", max_length=200, blank=True, help_text="也是信函的收信地址。")
    office_hours = models.CharField("办公时间", max_length=100, default="工作日 8:00—12:00，15:00—18:00")
    icp_number = models.CharField("ICP备案号", max_length=50, blank=True)
    footer_text = models.TextField("页脚说明", blank=True, default="本平台为专家人才提供联系、服务与宣传的一站式窗口。")
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="个人信息保护说明页面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="页脚和表单中“个人信息保护说明”链接指向的页面。",
    )

    select_related = ["privacy_page"]

    panels = [
        MultiFieldPanel([FieldPanel("portal_name"), FieldPanel("portal_short_name")], heading="平台"),
        MultiFieldPanel(
            [
                FieldPanel("hotline"),
                FieldPanel("mailbox"),
                FieldPanel("office_name"),
                FieldPanel("office_address"),
                FieldPanel("office_hours"),
            ],
            heading="联系方式",
        ),
        MultiFieldPanel(
            [FieldPanel("icp_number"), FieldPanel("footer_text"), FieldPanel("privacy_page")], heading="页脚"
        ),
    ]

    class Meta:
        verbose_name = "站点设置"
        verbose_name_plural = "站点设置"

    @classmethod
    def for_request(cls, request):
        # Every public page reads them: one query per site until anything public changes
        # (saving them is such a change), and a copy per request, which Wagtail writes to.
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = Site.find_for_request(request)
            if site is None:
                return super().for_request(request)
            settings = copy.copy(remembered(("portal-settings", site.pk), lambda: cls.for_site(site)))
            settings._request = request
            setattr(request, attr_name, settings)
        return getattr(request, attr_name)


class CoverImageFields(models.Model):
    """A cover image, and the alt text that screen readers need whenever there is one."""

    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField("封面替代文字", max_length=200, blank=True, help_text="有封面图片时必填。")

    cover_panel = MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_alt")], heading="封面")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.cover_image_id and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": "请为封面图片填写替代文字，方便视障读者了解图片内容。"})


class ViewRestrictionsMixin:
    """For every public page type: Wagtail reads a page's view restrictions on every request
    (two queries), though few sites restrict any page. Whether one exists at all is kept until
    anything public changes, which saving or deleting a restriction does."""

    def get_view_restrictions(self):
        if not remembered(("any-view-restriction",), lambda: (PageViewRestriction.objects.exists(),))[0]:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class IntroPage(ViewRestrictionsMixin, Page):
    """A page with a short introduction: the shape of every section index."""

    intro = RichTextField("导语", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = page_search_fields("intro")

    class Meta:
        abstract = True


class StandardPage(ViewRestrictionsMixin, Page):
    """Plain editorial pages: the programme, the privacy notice, contact details."""

    public_page_cache = True

    summary = models.TextField("摘要", blank=True, max_length=300, help_text="用于列表、搜索结果和分享描述。")
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = page_search_fields("summary", "body")

    parent_page_types = ["home.HomePage", "base.StandardPage"]
    subpage_types = ["base.StandardPage"]

    class Meta:
        verbose_name = "普通页面"
        verbose_name_plural = "普通页面"


class DemoDataset(models.Model):
    """Marks a database built by `load_demo_content`, so a re-run is safe."""

    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "演示数据标记"

    def __str__(self):
        return f"演示数据（{timezone.localtime(self.loaded_at):%Y-%m-%d %H:%M}）"


SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"


def absolute_image_url(request, image, spec=SOCIAL_IMAGE_SPEC):
    """The absolute URL of a rendition of `image`, for Open Graph and structured data."""
    if image is None or request is None:
        return ""
    return request.build_absolute_uri(image.get_rendition(spec).url)


def publisher_data(request):
    """schema.org Organization of the talent office, from the site settings."""
    portal = PortalSettings.for_request(request)
    return {"@type": "Organization", "name": portal.office_name, "telephone": portal.hotline, "email": portal.mailbox}
