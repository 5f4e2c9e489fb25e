"""Exports of staff records (lists, statistics): each is logged, with its row count, in site history.

An app logs an export with `log_export` and registers its action with `register_export_action`
in its `register_log_actions` hook. The entries live in `staff.models.ExportLogEntry`, which
shows a county only its own exports. `as_download` names the file.
"""

from dataclasses import dataclass
from urllib.parse import quote

from wagtail.log_actions import LogFormatter, log


@dataclass(frozen=True)
class Export:
    """What `wagtail.log_actions.log` is given for an export: routed to ExportLogEntry by staff's hooks."""

    model: type
    label: str
    rows: int


def log_export(user, action, model, label, rows, **details):
    """Log that `user` exported `rows` rows of `model`; `label` names the export in site history."""
    return log(Export(model, label, rows), action, user=user, data=details)


class ExportLogFormatter(LogFormatter):
    def format_message(self, log_entry):
        rows = log_entry.data.get("rows")
        return "已导出" if rows is None else f"已导出 {rows} 条"


def register_export_action(actions, action, label):
    """Register `action` (e.g. "experts.export") with a message that gives the row count."""
    actions.register_action(action)(type("ExportFormatter", (ExportLogFormatter,), {"label": label}))


def as_download(response, filename, ascii_filename):
    """`response` as an attachment named `filename` (Chinese welcome); returns it.

    Browsers read RFC 6266's `filename*` (UTF-8, RFC 5987); `ascii_filename` is for clients that
    read only `filename`. Wagtail's CSV export writes a Chinese name into `filename`, which browsers
    cannot read (they save "download.csv"); Django's FileResponse gives no ASCII fallback.
    """
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename)}"
    return response
