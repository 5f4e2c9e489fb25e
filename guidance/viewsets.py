"""The guidance chapter's admin: /admin/guidance/ (its kinds and coverage) and one list per kind."""

from wagtail.admin.ui.tables import Column

from programme.viewsets import Chapter, ProgrammeViewSet

from . import kinds, models
from .forms import PartyDevelopmentForm
from .views import PartyDevelopmentInspectView

chapter = Chapter(kinds.CHAPTER, label="政治引领", url_prefix="guidance", icon="thumbtack", menu_order=261)


class StudyViewSet(ProgrammeViewSet):
    model = models.StudySession
    kind_key = kinds.STUDY.key
    url_prefix = "guidance/study"
    icon = "doc-full"
    form_fields = ["kind", "date", "end_date", "place", "topic", "organiser"]
    filter_fields = ["kind"]
    list_columns = [
        Column("kind", label="类别", accessor="get_kind_display"),
        Column("topic", label="主题"),
        Column("place", label="地点"),
    ]
    search_fields = ["topic", "place", "organiser", "attendances__expert__name"]
    list_export = ["date", "end_date", "kind", "topic", "place", "organiser", "level"]
    export_headings = {
        "date": "开始日期",
        "end_date": "结束日期",
        "kind": "类别",
        "topic": "主题",
        "place": "地点",
        "organiser": "主办单位",
        "level": "登记属地",
    }


class GrassrootsViewSet(ProgrammeViewSet):
    model = models.GrassrootsTrip
    kind_key = kinds.GRASSROOTS.key
    url_prefix = "guidance/grassroots"
    icon = "site"
    form_fields = ["date", "served", "place", "topic", "problems_solved"]
    list_columns = [Column("served", label="服务乡镇/村"), Column("topic", label="主题")]
    search_fields = ["served", "place", "topic", "problems_solved", "attendances__expert__name"]
    list_export = ["date", "served", "place", "topic", "problems_solved", "level"]
    export_headings = {
        "date": "日期",
        "served": "服务乡镇/村",
        "place": "地点",
        "topic": "主题",
        "problems_solved": "帮助解决的问题",
        "level": "登记属地",
    }


class RecommendationViewSet(ProgrammeViewSet):
    model = models.Recommendation
    kind_key = kinds.RECOMMENDATIONS.key
    url_prefix = "guidance/recommendations"
    icon = "tag"
    form_fields = ["expert", "kind", "body", "date", "outcome", "note"]
    filter_fields = ["kind", "outcome"]
    list_columns = [
        Column("kind", label="推荐类别", accessor="get_kind_display"),
        Column("body", label="推荐至"),
        Column("outcome", label="结果", accessor="get_outcome_display"),
    ]
    search_fields = ["body", "note", "expert__name"]
    list_export = ["date", "expert", "kind", "body", "outcome", "note", "level"]
    export_headings = {
        "date": "日期",
        "expert": "专家",
        "kind": "推荐类别",
        "body": "推荐至",
        "outcome": "结果",
        "note": "备注",
        "level": "登记属地",
    }


class PartyDevelopmentViewSet(ProgrammeViewSet):
    model = models.PartyDevelopment
    kind_key = kinds.PARTY_DEVELOPMENT.key
    url_prefix = "guidance/party-development"
    icon = "user"
    form_class = PartyDevelopmentForm
    inspect_view_class = PartyDevelopmentInspectView
    create_template_name = "guidance/party_development/create.html"
    edit_template_name = "guidance/party_development/edit.html"
    inspect_template_name = "guidance/party_development/inspect.html"
    list_columns = [Column("stage", label="当前阶段"), Column("contact_person", label="培养联系人")]
    search_fields = ["contact_person", "note", "expert__name"]
    list_export = ["date", "expert", "contact_person", *models.MILESTONES, "note", "level"]
    export_headings = {"date": models.OPENED_ON, "expert": "专家", "contact_person": "培养联系人", "note": "备注"}


VIEWSETS = [StudyViewSet, GrassrootsViewSet, RecommendationViewSet, PartyDevelopmentViewSet]
