"""Viewsets of this part of the liaison work (see liaison/viewsets/__init__.py): the five reports
(五报告) and the must-visits (必访事项) their acceptance creates. Views in liaison/views/."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from staff.scoping import sees_model

from ..forms.reports import EventReportForm
from ..models import EventReport, MustVisit
from ..views import reports, visits


class EventReportViewSet(ModelViewSet):
    model = EventReport
    name = "liaison_reports"
    url_prefix = "liaison/reports"
    icon = "doc-full-inverse"
    menu_label = "五报告"
    inspect_view_enabled = True
    copy_view_enabled = False  # a report is one event: a copy would be a second report of it
    list_per_page = 20
    ordering = ["-created_at", "-pk"]
    # Never the details: a search would tell who may not read them which reports contain a word.
    search_fields = ["expert__name", "unit__name"]
    search_backend_name = None

    index_view_class = reports.EventReportIndexView
    add_view_class = reports.EventReportCreateView
    edit_view_class = reports.EventReportEditView
    inspect_view_class = reports.EventReportInspectView
    history_view_class = reports.EventReportHistoryView
    usage_view_class = reports.EventReportUsageView
    delete_view_class = reports.EventReportDeleteView

    export_filename = "五报告"
    list_export = [
        "expert",
        "unit",
        "level",
        "kind",
        "event_date",
        "details",
        "stage",
        "filed_by",
        "created_at",
        "last_step_at",
    ]
    export_headings = {
        "expert": "专家",
        "unit": "报告单位",
        "level": "属地",
        "kind": "报告事项",
        "event_date": "事项发生日期",
        "details": "具体情况",
        "stage": "当前环节",
        "filed_by": "报送人",
        "created_at": "报送时间",
        "last_step_at": "最近办理时间",
    }

    edit_handler = ObjectList(
        [
            FieldPanel("expert"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("event_date")]),
            FieldPanel("details"),
        ],
        base_form_class=EventReportForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("accept/<int:pk>/", reports.ReportReviewView.as_view(decision="accept"), name="accept"),
            path("return/<int:pk>/", reports.ReportReviewView.as_view(decision="return"), name="return"),
        ]


class MustVisitMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_model(request.user, MustVisit)


class MustVisitViewSet(ViewSet):
    """Only a list: must-visits are created and done by liaison.services, never edited by hand."""

    name = "liaison_visits"
    url_prefix = "liaison/visits"
    icon = "date"
    menu_label = "必访事项"
    menu_item_class = MustVisitMenuItem

    def get_urlpatterns(self):
        kwargs = {
            "model": MustVisit,
            "index_url_name": f"{self.name}:index",
            "index_results_url_name": f"{self.name}:index_results",
            "header_icon": self.icon,
        }
        return [
            path("", visits.MustVisitIndexView.as_view(**kwargs), name="index"),
            path("results/", visits.MustVisitIndexView.as_view(results_only=True, **kwargs), name="index_results"),
        ]


VIEWSETS = [EventReportViewSet, MustVisitViewSet]
