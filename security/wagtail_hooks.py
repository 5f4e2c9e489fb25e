from wagtail import hooks

from . import audit


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    actions.register_action(audit.VIEW, "查看详情", "查看了详情")
    actions.register_action(audit.REVEAL, "查看完整联系方式", "查看了完整联系方式")
