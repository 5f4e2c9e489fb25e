"""The innovation chapter's admin: /admin/innovation/ (its kind, this year's amounts and coverage)
and the list of support records."""

from wagtail.admin.ui.tables import Column

from programme.viewsets import Chapter, ProgrammeViewSet

from . import kinds, models, views
from .forms import SupportForm


class SupportChapter(Chapter):
    index_view_class = views.SupportChapterIndexView


chapter = SupportChapter(kinds.CHAPTER, label="创新创业支持", url_prefix="innovation", icon="cogs", menu_order=264)


class SupportViewSet(ProgrammeViewSet):
    model = models.SupportRecord
    kind_key = kinds.SUPPORT.key
    url_prefix = "innovation/support"
    icon = "tag"
    form_class = SupportForm
    inspect_view_class = views.SupportInspectView
    filter_fields = ["kind", "platform_type"]
    list_columns = [
        Column("kind", label="支持类别", accessor="kind_text", sort_key="kind"),
        Column("amount", label="金额", accessor="amount_text", sort_key="amount"),
        Column("granting_body", label="授予单位/部门"),
        Column("team_name", label="团队"),
    ]
    search_fields = ["project", "team_name", "granting_body", "notes", "attendances__expert__name"]
    list_export = [
        "date",
        "kind",
        "platform_type",
        "project",
        "amount",
        "granting_body",
        "team_name",
        "notes",
        "level",
    ]
    export_headings = {
        "date": "日期",
        "kind": "支持类别",
        "platform_type": "平台类型",
        "project": "项目或平台名称",
        "amount": "金额（元）",
        "granting_body": "授予单位/部门",
        "team_name": "团队名称",
        "notes": "备注",
        "level": "登记属地",
    }


VIEWSETS = [SupportViewSet]
