"""The publicity chapter's admin: /admin/publicity/ (its kind and coverage) and the list of activities."""

from wagtail.admin.ui.tables import Column

from programme.viewsets import Chapter, ProgrammeViewSet

from . import forms, kinds, models, views

chapter = Chapter(kinds.CHAPTER, label="宣传报道", url_prefix="publicity", icon="openquote", menu_order=263)


class PublicityViewSet(ProgrammeViewSet):
    model = models.PublicityActivity
    kind_key = kinds.ACTIVITIES.key
    url_prefix = "publicity/activities"
    icon = "openquote"
    form_class = forms.PublicityForm
    inspect_view_class = views.PublicityInspectView
    filter_fields = ["kind"]
    list_columns = [
        Column("kind", label="形式", accessor="get_kind_display"),
        Column("title", label="标题"),
        Column("place", label="地点或媒体"),
    ]
    search_fields = ["title", "place", "audience", "team", "attendances__expert__name"]
    list_export = ["date", "kind", "title", "place", "audience", "team", "level"]
    export_headings = {
        "date": "日期",
        "kind": "形式",
        "title": "标题",
        "place": "地点或媒体",
        "audience": "受众",
        "team": "团队",
        "level": "登记属地",
    }


VIEWSETS = [PublicityViewSet]
