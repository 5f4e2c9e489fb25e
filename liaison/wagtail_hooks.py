from django.db.models import Q
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from experts import privacy as privacy_hooks
from experts.choosers import PURPOSE_HOOK, Purpose
from experts.views import DETAIL_SECTIONS_HOOK
from programme.timeline import TIMELINE_SOURCES_HOOK
from staff.exports import register_export_action

from . import privacy, services
from .choosers import leader_chooser_viewset
from .forms.contacts import EXPERT_PURPOSE
from .models import (
    ContactLogEntry,
    ContactRecord,
    EventReport,
    EventReportLogEntry,
    FollowUp,
    FollowUpLogEntry,
    Leader,
    LeaderLogEntry,
    LeaderOffice,
    LeaderOfficeLogEntry,
    MustVisit,
    Pairing,
    PairingLogEntry,
)
from .scoping import LiaisonPolicy
from .views.contacts import register_contact_log_actions
from .views.expert_section import ExpertLiaisonSection
from .views.leader_page import LeaderHomePanel
from .views.reports import ReportsDashboardPanel
from .views.timeline import timeline_sources
from .viewsets import LiaisonGroup

# (model, lookups to a level, to a leader, to a unit, what else the leader's tie needs): who sees
# which rows (liaison/scoping.py). A leader reads the reports of the experts they are paired with now.
POLICIES = [
    (Leader, ("level",), "", None, None),
    (LeaderOffice, ("level",), None, None, None),
    (Pairing, ("expert__level", "leader__level"), "leader", "expert__unit", None),
    (ContactRecord, ("level", "experts__level"), "leaders", None, None),
    (FollowUp, ("record__level", "expert__level"), "record__leaders", None, None),
    (MustVisit, ("expert__level", "leader__level"), "leader", None, None),
    (EventReport, ("level",), "expert__pairings__leader", "unit", Q(expert__pairings__ended_on__isnull=True)),
]
for model, level_paths, leader_path, unit_path, leader_while in POLICIES:
    policy = LiaisonPolicy(
        model, level_paths=level_paths, leader_path=leader_path, unit_path=unit_path, leader_while=leader_while
    )
    register_permission_policy(model, policy)


@hooks.register("register_log_actions")
def register_liaison_log_actions(actions):
    actions.register_model(Leader, LeaderLogEntry)
    actions.register_model(LeaderOffice, LeaderOfficeLogEntry)
    actions.register_model(Pairing, PairingLogEntry)
    actions.register_model(ContactRecord, ContactLogEntry)
    actions.register_model(FollowUp, FollowUpLogEntry)
    actions.register_model(EventReport, EventReportLogEntry)
    actions.register_action("liaison.pairing.end", "结束结对", "已结束结对")
    actions.register_action("liaison.report.filed", "报送五报告", "已报送")
    actions.register_action("liaison.report.accepted", "审核通过五报告", "已审核通过")
    actions.register_action("liaison.report.returned", "退回五报告", "已退回")
    actions.register_action("liaison.report.refiled", "重新报送五报告", "已重新报送")
    actions.register_action("liaison.report.read_sensitive", "查看敏感信息", "已查看敏感信息")
    register_export_action(actions, "liaison.reports.export", "导出五报告")
    register_contact_log_actions(actions)
    register_export_action(actions, "liaison.coverage.export", "导出六活动覆盖情况")


@hooks.register("register_admin_viewset")
def register_liaison_admin():
    return LiaisonGroup()


@hooks.register("register_admin_viewset")
def register_leader_chooser():
    return leader_chooser_viewset


@hooks.register("construct_homepage_panels")
def add_reports_panel(request, panels):
    panels.append(ReportsDashboardPanel(request))


@hooks.register("insert_global_admin_css")
def reports_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("liaison/reports.css"))


@hooks.register(PURPOSE_HOOK)
def contact_expert_purpose():
    # A leader's office names the experts of its leaders' levels, which it cannot see in the expert list.
    return Purpose(
        EXPERT_PURPOSE,
        may_open=lambda user: any(user.has_perm(f"liaison.{action}_contactrecord") for action in ("add", "change")),
        experts=services.experts_to_contact,
    )


# Due work and coverage ----------------------------------------------------------------------


@hooks.register(DETAIL_SECTIONS_HOOK)
def expert_liaison_section(request, expert):
    return ExpertLiaisonSection(request, expert)


hooks.register(TIMELINE_SOURCES_HOOK, timeline_sources)


@hooks.register("construct_homepage_panels")
def add_leader_panel(request, panels):
    panels.append(LeaderHomePanel(request))


@hooks.register("insert_global_admin_css")
def coverage_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("liaison/coverage.css"))


# An expert's rights over their data (experts.privacy) ---------------------------------------

hooks.register(privacy_hooks.SUBJECT_ACCESS_HOOK, privacy.subject_access_sheets)
hooks.register(privacy_hooks.REFUSALS_HOOK, privacy.refusals)
hooks.register(privacy_hooks.ANONYMISE_HOOK, privacy.anonymise)
