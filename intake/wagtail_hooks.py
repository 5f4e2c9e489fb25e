from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from base import scheduled_jobs
from experts import privacy as expert_privacy
from experts.choosers import PURPOSE_HOOK, Purpose
from programme.timeline import TIMELINE_SOURCES_HOOK, Entry, Source
from staff.exports import register_export_action
from staff.scoping import LevelScopedPermissionPolicy, sees_model, visible_rows

from . import privacy, retention
from .dashboard import IntakeDashboardPanel
from .departments import DepartmentItemViewSet
from .forms import EXPERT_PURPOSE, experts_in_scope
from .models import ITEM_ACTIONS, IntakeItem, IntakeLogEntry, PublicAnswer
from .viewsets import IntakeViewSetGroup

register_permission_policy(IntakeItem, LevelScopedPermissionPolicy(IntakeItem))
# A public answer has no level of its own: it has its item's (one without an item, the city's).
register_permission_policy(PublicAnswer, LevelScopedPermissionPolicy(PublicAnswer, level_field="item__level"))


@hooks.register("register_admin_viewset")
def register_intake_viewsets():
    return IntakeViewSetGroup()


@hooks.register("register_admin_viewset")
def register_department_items():
    return DepartmentItemViewSet()


@hooks.register(PURPOSE_HOOK)
def expert_purpose():
    # Those who register or change items name the expert an item concerns, one who left too.
    return Purpose(
        EXPERT_PURPOSE, may_open=lambda user: sees_model(user, IntakeItem, ("add", "change")), experts=experts_in_scope
    )


@hooks.register("register_log_actions")
def register_intake_log_actions(actions):
    actions.register_model(IntakeItem, IntakeLogEntry)
    for action, label in [
        ("intake.received", "登记来信来访事项"),
        ("intake.accepted", "受理"),
        ("intake.rejected", "不予受理"),
        ("intake.assigned", "交办"),
        ("intake.started", "开始办理"),
        ("intake.appointment", "安排约见"),
        ("intake.closed", "办结答复"),
        ("intake.followed_up", "回访"),
        ("intake.reopened", "重新办理"),
        ("intake.supervised", "督办"),
        ("intake.extension_requested", "申请延期"),
        ("intake.extension_approved", "批准延期"),
        ("intake.extension_declined", "不批准延期"),
        ("intake.reply_proposed", "提交拟答复"),
        ("intake.reply_returned", "退回拟答复"),
        ("intake.reply_approved", "审核通过拟答复"),
        ("intake.expert_linked", "关联专家"),
        ("intake.query_code_reissued", "重新生成查询码"),
        ("intake.attachment_viewed", "查看附件"),
        (retention.ACTION, "清除个人信息"),
    ]:
        actions.register_action(action, label, label)
    register_export_action(actions, "intake.export", "导出来信来访数据")


@hooks.register("insert_global_admin_css")
def intake_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("intake/admin.css"))


@hooks.register("construct_homepage_panels")
def add_intake_panel(request, panels):
    panels.append(IntakeDashboardPanel(request))


# Retention of personal data, and an expert's rights over their data (experts.privacy) -------

hooks.register(scheduled_jobs.HOOK, retention.clear_expired)
hooks.register(expert_privacy.SUBJECT_ACCESS_HOOK, privacy.subject_access_sheets)
hooks.register(expert_privacy.REFUSALS_HOOK, privacy.refusals)
hooks.register(expert_privacy.ANONYMISE_HOOK, privacy.anonymise)


# An expert's timeline (programme.timeline) ---------------------------------------------------


def intake_entries(request, expert):
    """The intake items linked to the expert that the viewer may see or handle."""
    if not sees_model(request.user, IntakeItem, ITEM_ACTIONS):
        return []
    items = visible_rows(request.user, IntakeItem, ITEM_ACTIONS).filter(expert=expert).order_by("-received_at", "-pk")
    return [
        Entry(
            timezone.localdate(item.received_at),
            str(item),
            reverse("intake_item:inspect", args=[item.pk]),
            f"{item.get_channel_display()}·{item.get_kind_display()}·{item.get_status_display()}",
        )
        for item in items
    ]


@hooks.register(TIMELINE_SOURCES_HOOK)
def intake_timeline_sources():
    return [Source("intake", "来信来访", intake_entries)]
