"""The consulting chapter's admin: /admin/consulting/ (its kinds and coverage) and one list per kind."""

from wagtail.admin.ui.tables import Column

from programme.viewsets import Chapter, ProgrammeViewSet

from . import forms, kinds, models, views

chapter = Chapter(kinds.CHAPTER, label="决策咨询", url_prefix="consulting", icon="comment", menu_order=262)


class IndustryGroupViewSet(ProgrammeViewSet):
    model = models.IndustryGroup
    kind_key = kinds.GROUPS.key
    url_prefix = "consulting/groups"
    icon = "group"
    form_class = forms.IndustryGroupForm
    index_view_class = views.IndustryGroupIndexView
    inspect_view_class = views.IndustryGroupInspectView
    list_columns = [Column("name", label="小组名称"), Column("sector", label="产业领域")]
    search_fields = ["name", "sector", "notes", "attendances__expert__name"]
    list_export = ["date", "name", "sector", "lead", "notes", "level"]
    export_headings = {
        "date": "成立日期",
        "name": "小组名称",
        "sector": "产业领域",
        "lead": "组长",
        "notes": "备注",
        "level": "登记属地",
    }


class ConsultationViewSet(ProgrammeViewSet):
    model = models.Consultation
    kind_key = kinds.CONSULTATIONS.key
    url_prefix = "consulting/consultations"
    icon = "clipboard-list"
    form_class = forms.ConsultationForm
    filter_fields = ["stage", "adoption"]
    list_columns = [
        Column("matter", label="咨询事项"),
        Column("stage", label="咨询阶段", accessor="get_stage_display"),
        Column("adoption", label="采纳情况", accessor="get_adoption_display"),
    ]
    search_fields = ["matter", "advice", "adopting_body", "groups__name", "attendances__expert__name"]
    list_export = ["date", "matter", "stage", "advice", "adoption", "adopting_body", "level"]
    export_headings = {
        "date": "日期",
        "matter": "咨询事项",
        "stage": "咨询阶段",
        "advice": "咨询意见",
        "adoption": "采纳情况",
        "adopting_body": "采纳单位",
        "level": "登记属地",
    }


class PopularScienceViewSet(ProgrammeViewSet):
    model = models.PopularScience
    kind_key = kinds.SCIENCE.key
    url_prefix = "consulting/science"
    icon = "globe"
    form_class = forms.PopularScienceForm
    list_columns = [
        Column("topic", label="主题"),
        Column("place", label="地点"),
        Column("audience_size", label="受众人数"),
    ]
    search_fields = ["topic", "place", "audience", "attendances__expert__name"]
    list_export = ["date", "topic", "place", "audience", "audience_size", "level"]
    export_headings = {
        "date": "日期",
        "topic": "主题",
        "place": "地点",
        "audience": "受众",
        "audience_size": "受众人数",
        "level": "登记属地",
    }


VIEWSETS = [IndustryGroupViewSet, ConsultationViewSet, PopularScienceViewSet]
