from wagtail import hooks

from .exports import Export, register_export_action
from .models import ExportLogEntry


@hooks.register("register_log_actions")
def register_export_log(actions):
    actions.register_model(Export, ExportLogEntry)
    register_export_action(actions, "reports.export", "导出报表")
