from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from base import scheduled_jobs
from staff.exports import register_export_action
from staff.scoping import LevelScopedPermissionPolicy

from . import privacy
from .choosers import PURPOSE_HOOK, Purpose, expert_chooser_viewset
from .import_jobs import prune_ended_imports
from .models import Expert, ExpertLogEntry, Unit
from .models.pages import PROFILE_PURPOSE, PUBLISHABLE
from .viewsets import ExpertDatabaseGroup

register_permission_policy(Expert, LevelScopedPermissionPolicy(Expert, unit_field="unit_id"))
register_permission_policy(Unit, LevelScopedPermissionPolicy(Unit, unit_field="pk"))


@hooks.register("register_admin_viewset")
def register_expert_database():
    return ExpertDatabaseGroup()


@hooks.register("register_admin_viewset")
def register_expert_chooser():
    return expert_chooser_viewset


@hooks.register(PURPOSE_HOOK)
def profile_purpose():
    # A public profile's editors pick among the experts who agreed to publication, whatever their level.
    return Purpose(
        PROFILE_PURPOSE,
        may_open=lambda user: PagePermissionPolicy().user_has_any_permission(user, ["add", "change"]),
        experts=lambda user: Expert.objects.filter(**PUBLISHABLE),
        public=True,
    )


@hooks.register("register_log_actions")
def register_expert_log_actions(actions):
    actions.register_model(Expert, ExpertLogEntry)
    actions.register_action("experts.remove", "调出专家", "已调出")
    actions.register_action("experts.restore", "恢复入库", "已恢复入库")
    actions.register_action("experts.review", "年度调整确认", "已确认年度调整")
    actions.register_action("experts.import", "从 Excel 导入", "已从 Excel 导入")
    register_export_action(actions, "experts.export", "导出专家名单")
    actions.register_action("experts.withdraw_consent", "撤回公开同意", "已撤回公开同意")
    actions.register_action(privacy.ANONYMISE, "匿名化处理", "已匿名化处理")
    register_export_action(actions, privacy.SUBJECT_ACCESS, "导出本人数据")


hooks.register(scheduled_jobs.HOOK, prune_ended_imports)
