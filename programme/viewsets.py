"""The admin of a chapter of the programme (care, guidance, consulting, publicity, innovation): its
index of record kinds with this year's counts, its yearly coverage, and one viewset per kind.

A chapter app declares `Chapter` and a `ProgrammeViewSet` per kind, and registers
`chapter.group(*viewsets)` with the register_admin_viewset hook."""

from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from staff.scoping import sees_model

from . import views
from .coverage import ChapterIndexView, CoverageView
from .filters import filterset_for
from .forms import ActivityForm, ExpertRecordForm
from .kinds import KINDS


class ProgrammeViewSet(ModelViewSet):
    """The views of one kind (`kind_key` names its ServiceKind). A subclass gives `form_fields`
    (or `form_class`), `list_columns` (its own columns after the date), `list_export` with
    `export_headings`, `search_fields` and `filter_fields` (its own fields with choices)."""

    kind_key = None
    form_class = None
    list_columns = ()
    filter_fields = ()
    marks_attendance = False  # invitations whose attendance is marked after the event
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 20
    ordering = ["-date", "-pk"]
    search_backend_name = None  # Django's icontains: any Chinese substring matches

    index_view_class = views.ProgrammeIndexView
    add_view_class = views.ProgrammeCreateView
    edit_view_class = views.ProgrammeEditView
    inspect_view_class = views.ProgrammeInspectView
    history_view_class = views.ProgrammeHistoryView
    usage_view_class = views.ProgrammeUsageView
    delete_view_class = views.ProgrammeDeleteView

    @cached_property
    def kind(self):
        return KINDS[self.kind_key]

    @property
    def name(self):
        return self.kind_key

    @cached_property
    def menu_label(self):
        return self.kind.label

    @cached_property
    def filterset_class(self):
        return filterset_for(self.kind, *self.filter_fields)

    def get_form_class(self, for_update=False):
        if self.form_class:
            return self.form_class
        base = ActivityForm if self.kind.is_activity else ExpertRecordForm
        meta = type("Meta", (), {"model": self.model, "fields": self.form_fields})
        return type(f"{self.model.__name__}Form", (base,), {"Meta": meta})

    def get_index_view_kwargs(self, **kwargs):
        if self.kind.is_activity:  # the experts follow the kind's own fields
            kwargs["list_export"] = [*self.list_export, "experts"]
            kwargs["export_headings"] = {**self.export_headings, "experts": "专家"}
        return super().get_index_view_kwargs(
            kind=self.kind,
            list_columns=self.list_columns,
            export_action=f"{self.kind_key}.export",
            export_ascii_filename=self.kind_key,
            **kwargs,
        )

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            kind=self.kind,
            marks_attendance=self.marks_attendance,
            attendance_url_name=self.get_url_name("attendance"),
            history_url_name=self.get_url_name("history"),
            **kwargs,
        )

    def get_urlpatterns(self):
        urls = super().get_urlpatterns()
        if self.marks_attendance:
            view = views.AttendanceView.as_view(
                model=self.model,
                inspect_url_name=self.get_url_name("inspect"),
                index_url_name=self.get_url_name("index"),
            )
            urls.append(path("attendance/<int:pk>/", view, name="attendance"))
        return urls


class ChapterMenuItem(MenuItem):
    def __init__(self, *args, chapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapter = chapter

    def is_shown(self, request):
        return self.chapter.is_open_to(request.user)


class Chapter(ViewSet):
    """A chapter's own screens: `/admin/<url_prefix>/` (its kinds) and `coverage/`."""

    menu_order = 0
    index_view_class = ChapterIndexView  # a chapter may add to its overview (a subclass's template)

    def __init__(self, name, *, label, url_prefix, icon, menu_order):
        self.label = label
        super().__init__(name, url_prefix=url_prefix, icon=icon, menu_label="概览与覆盖情况")
        self.group_order = menu_order

    @property
    def kinds(self):
        return [kind for kind in KINDS.values() if kind.chapter == self.name]

    def is_open_to(self, user):
        return any(sees_model(user, kind.model) for kind in self.kinds)

    def get_menu_item(self, order=None):
        return ChapterMenuItem(
            self.menu_label, self.menu_url, name=self.name, icon_name=self.icon, order=0, chapter=self
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view_class.as_view(chapter=self), name="index"),
            path("coverage/", CoverageView.as_view(chapter=self), name="coverage"),
        ]

    def group(self, *viewsets):
        return type(
            f"{self.name.title()}Group",
            (ViewSetGroup,),
            {
                "menu_label": self.label,
                "menu_icon": self.icon,
                "menu_order": self.group_order,
                "items": (self, *viewsets),
            },
        )()
