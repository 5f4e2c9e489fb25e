"""Exports of staff records (lists, statistics): one writer for every CSV and XLSX, each export logged.

Every spreadsheet the portal produces is a `Sheet` (a title, headings and rows of plain values)
written by `export_response` or `xlsx_response`; a Wagtail index view with `list_export` gets
the same writer through `ListExportMixin`, and so do Wagtail's own reports (staff/reports.py). The writer:
- starts a CSV with a UTF-8 BOM (without it Excel garbles Chinese);
- guards every text cell against formula injection (`guard`), in CSV and XLSX alike;
- writes numbers as numbers, a `Percent` as a number (formatted as a percentage in XLSX, the plain
  fraction in CSV), dates and times as dates in local time; units belong in the heading;
- sizes XLSX columns to their text (a Chinese character counts two) and streams rows through
  openpyxl's write-only mode, so 10,000 rows take little memory.

An app logs an export with `log_export` (given the request: the entry keeps the client address and
the result, as every audit entry does, security.audit) and registers its action with
`register_export_action` in its `register_log_actions` hook. The entries live in
`staff.models.ExportLogEntry`, which shows a county only its own exports. `as_download` names the file.
"""

import csv
import datetime
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from typing import Any
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from wagtail.log_actions import LogFormatter, log

from security.audit import audit_data

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
# Characters that make Excel, LibreOffice or WPS read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
WIDTH_SAMPLE_ROWS = 100  # column widths follow the headings and the first rows
MIN_WIDTH = 12
MAX_WIDTH = 50
CHUNK_SIZE = 1000
HEADING_FONT = Font(bold=True)


@dataclass(frozen=True)
class Export:
    """What `wagtail.log_actions.log` is given for an export: routed to ExportLogEntry by staff's hooks."""

    model: type
    label: str
    rows: int


def log_export(request, action, model, label, rows, **details):
    """Log that the request's user exported `rows` rows of `model`, from the request's address;
    `label` names the export in site history."""
    return log(Export(model, label, rows), action, user=request.user, data=audit_data(request, **details))


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


# The writer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Percent:
    """A share (0.5 for 50 %): a number shown as a percentage in XLSX, the plain fraction in CSV."""

    share: float

    def __str__(self):
        return f"{self.share:.1%}"


@dataclass(frozen=True)
class Sheet:
    title: str
    headings: Sequence[str]
    rows: Iterable[Sequence[Any]] = ()  # values: text, numbers, Percent, dates, datetimes, None
    freeze_panes: str = "A2"
    validations: Sequence[Any] = ()  # openpyxl DataValidation objects (drop-down lists)


def guard(text):
    """`text` prefixed with a single quote if a spreadsheet would run it as a formula."""
    if text.startswith(CONTROL_STARTS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unguard(text):
    """What `guard` was given: a file exported here reads back as it was."""
    return text[1:] if text.startswith("'") and guard(text[1:]) != text[1:] else text


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


def _csv_value(value):
    if isinstance(value, str):
        return guard(value)
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, Percent):
        return round(value.share, 4)
    if isinstance(value, datetime.datetime):
        return f"{_local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return guard(str(value))


def _formatted(sheet, value, number_format):
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell


def _xlsx_value(sheet, value):
    # Plain values are cheapest for openpyxl; only formatted values need a cell of their own.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", guard(value))  # control characters openpyxl refuses
    if value is None or isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, Percent):
        return _formatted(sheet, value.share, PERCENT_FORMAT)
    if isinstance(value, datetime.datetime):
        return _formatted(sheet, _local(value), DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return _formatted(sheet, value, DATE_FORMAT)
    return ILLEGAL_CHARACTERS_RE.sub("", guard(str(value)))


def text_width(text):
    """Columns `text` takes in a spreadsheet: a Chinese (wide) character about two Latin ones."""
    return max(
        (sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line) for line in text.splitlines()),
        default=0,
    )


def _shown(value):
    return str(value) if isinstance(value, Percent) else str(_csv_value(value))


def column_widths(headings, rows):
    widths = [text_width(heading) for heading in headings]
    for row in rows:
        widths = [max(width, text_width(_shown(value))) for width, value in zip(widths, row, strict=True)]
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def write_xlsx(sheets, output):
    """Writes `sheets` to `output` as one workbook; openpyxl's write-only mode keeps rows out of memory."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        rows = iter(sheet.rows)
        sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
        # A write-only sheet takes its widths, panes and validations before its first row.
        for index, width in enumerate(column_widths(sheet.headings, sample), start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = sheet.freeze_panes
        for validation in sheet.validations:
            worksheet.data_validations.append(validation)
        headings = [WriteOnlyCell(worksheet, _xlsx_value(worksheet, heading)) for heading in sheet.headings]
        for cell in headings:
            cell.font = HEADING_FONT
        worksheet.append(headings)
        for row in chain(sample, rows):
            worksheet.append([_xlsx_value(worksheet, value) for value in row])
    workbook.save(output)


class _Echo:
    def write(self, value):
        return value


def csv_lines(sheet):
    """The CSV text, line by line, starting with a UTF-8 BOM so that Excel reads the Chinese."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_csv_value(heading) for heading in sheet.headings])
    for row in sheet.rows:
        yield writer.writerow([_csv_value(value) for value in row])


def xlsx_response(sheets, filename, ascii_filename):
    """`sheets` as one XLSX download, built in a temporary file (not memory) and streamed from there."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_xlsx(sheets, output)
    output.seek(0)
    return as_download(FileResponse(output, content_type=XLSX_CONTENT_TYPE), filename, ascii_filename)


def export_response(export_format, sheet, filename, ascii_filename):
    """`sheet` as a "csv" or "xlsx" download; the file names are given without their extension."""
    if export_format == "csv":
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in csv_lines(sheet)), content_type=CSV_CONTENT_TYPE
        )
        return as_download(response, f"{filename}.csv", f"{ascii_filename}.csv")
    return xlsx_response([sheet], f"{filename}.xlsx", f"{ascii_filename}.xlsx")


class ListExportMixin:
    """For a Wagtail index view with `list_export`: ?export=csv/xlsx through this writer, logged.

    Wagtail's own writer (SpreadsheetExportMixin) has no formula guard in CSV, no BOM and writes
    times in UTC. The download is named after `export_filename`, with `export_ascii_filename`
    as its ASCII fallback; the export is logged under `export_action`. A view's field
    preprocessors (`custom_field_preprocess`, e.g. an action code to its label) still apply.
    """

    export_action = None
    export_ascii_filename = None
    # Wagtail's preprocessors by value type would write times in UTC; the writer handles values.
    custom_value_preprocess = {}

    def export_items(self, queryset):
        """The model the export is logged under, its number of rows and the rows' objects."""
        return queryset.model, queryset.count(), queryset.iterator(chunk_size=CHUNK_SIZE)

    def export_row(self, item, spreadsheet_format):
        return [
            self.preprocess_field_value(field, value, spreadsheet_format)
            for field, value in self.to_row_dict(item).items()
        ]

    def as_spreadsheet(self, queryset, spreadsheet_format):
        name = self.get_filename()
        model, count, items = self.export_items(queryset)
        log_export(
            self.request,
            self.export_action,
            model,
            f"导出{name}（{spreadsheet_format.upper()}）",
            count,
            format=spreadsheet_format,
            query=self.request.GET.urlencode(),
        )
        sheet = Sheet(
            title=name,
            headings=[self.get_heading(queryset, field) for field in self.list_export],
            rows=(self.export_row(item, spreadsheet_format) for item in items),
        )
        return export_response(spreadsheet_format, sheet, name, self.export_ascii_filename)
