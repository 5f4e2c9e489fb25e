from wagtail import hooks

from experts import privacy as privacy_hooks
from experts.views import DETAIL_SECTIONS_HOOK
from staff.exports import register_export_action

from . import privacy
from .coverage import COVERAGE_EXPORT_ACTION
from .kinds import KINDS
from .models import ProgrammeLogEntry
from .timeline import TimelineSection
from .views import ATTENDANCE_ACTION, AttendanceFormatter


@hooks.register("register_log_actions")
def register_programme_log_actions(actions):
    # The chapter apps' wagtail_hooks have registered their kinds by now: Wagtail reads the log
    # actions on first use, after every app's hooks module is imported.
    for kind in KINDS.values():
        actions.register_model(kind.model, ProgrammeLogEntry)
        register_export_action(actions, f"{kind.key}.export", f"导出{kind.label}")
    actions.register_action(ATTENDANCE_ACTION)(AttendanceFormatter)
    register_export_action(actions, COVERAGE_EXPORT_ACTION, "导出覆盖情况")


hooks.register(privacy_hooks.SUBJECT_ACCESS_HOOK, privacy.subject_access_sheets)
hooks.register(privacy_hooks.REFUSALS_HOOK, privacy.refusals)
hooks.register(privacy_hooks.ANONYMISE_HOOK, privacy.anonymise)


@hooks.register(DETAIL_SECTIONS_HOOK)
def expert_timeline_section(request, expert):
    return TimelineSection(request, expert)
