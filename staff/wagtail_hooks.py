from wagtail import hooks

from .exports import Export
from .models import ExportLogEntry


@hooks.register("register_log_actions")
def register_export_log(actions):
    actions.register_model(Export, ExportLogEntry)
