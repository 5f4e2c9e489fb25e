"""Importing experts from an XLSX file laid out like the export (`experts.exports.COLUMNS`).

Every row goes through the same ExpertForm as the admin form. The check (the preview)
saves nothing: it runs a few rows at a time in transactions that are rolled back, so that
the background task can report its progress between them. Storing runs every row again
in one transaction and keeps it only if every row passed. Rows are checked against the
rows above them too, so a file that lists one person twice is refused.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.html import conditional_escape, format_html
from openpyxl import load_workbook
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from staff.exports import unguard
from staff.levels import Level

from .exports import CATEGORY_SEPARATOR, IMPORT_COLUMNS
from .forms import ExpertForm, levels_for
from .models import TalentCategory, Unit, UnitType
from .services import create_expert

MAX_ROWS = 2000
CHECK_CHUNK_ROWS = 50  # rows per rolled-back transaction while checking; progress is saved between them
HEADER_ROW = 1
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]
CATEGORY_SPLIT = re.compile(rf"[{CATEGORY_SEPARATOR},，;；/\s]+")


class ImportFileError(Exception):
    """The file as a whole cannot be read (not an XLSX, wrong headings, too many rows)."""


@dataclass
class RowResult:
    number: int  # the row number in the spreadsheet, as the user sees it
    name: str
    errors: list = field(default_factory=list)

    def as_json(self):
        # Errors are kept as HTML: plain text escaped here, a duplicate's link to the existing record kept.
        return {"number": self.number, "name": self.name, "errors": [str(conditional_escape(e)) for e in self.errors]}


@dataclass
class ImportResult:
    rows: list

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self):
        return bool(self.rows) and not self.error_rows


def _text(value):
    """A cell as text: numbers such as phone numbers without '.0', dates as ISO dates, an export's
    formula guard (`staff.exports.guard`) taken off."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unguard(str(value)).strip()


def read_rows(upload):
    """The data rows of the first sheet as (row number, {heading: text}), blank rows skipped."""
    try:
        return _read_rows(upload)
    except ImportFileError:
        raise
    except Exception as error:
        # A damaged file makes openpyxl, zipfile, zlib or the XML parser raise an error of its own
        # (BadZipFile, zlib.error, ParseError, NotImplementedError …), while opening or row by row.
        raise ImportFileError("无法读取该文件，请上传用导入模板填写的 .xlsx 文件。") from error


def _read_rows(upload):
    workbook = load_workbook(upload, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headings = [_text(value) for value in next(rows, ())]
        missing = [column.heading for column in IMPORT_COLUMNS if column.heading not in headings]
        if missing:
            raise ImportFileError(f"表头缺少：{'、'.join(missing)}。请使用导入模板，不要改动第一行。")
        data = []
        for number, values in enumerate(rows, start=HEADER_ROW + 1):
            row = {heading: _text(value) for heading, value in zip(headings, values, strict=False) if heading}
            if not any(row.values()):
                continue
            data.append((number, row))
            if len(data) > MAX_ROWS:
                raise ImportFileError(f"一次最多导入 {MAX_ROWS} 行，请分批导入。")
    finally:
        workbook.close()
    if not data:
        raise ImportFileError("文件中没有数据行。")
    return data


def _parse_date(text):
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


class RowReader:
    """Turns one spreadsheet row into ExpertForm data, collecting the errors the form cannot name."""

    def __init__(self, user, log_data=None):
        self.user = user
        self.log_data = log_data or {}  # what each imported expert's log entry records besides the user
        self.categories = {category.name: category.pk for category in TalentCategory.objects.all()}
        self.may_add_units = policy_registry.get_by_type(Unit).user_has_permission(user, "add")
        # What the rows above said, remembered here because a rolled-back check forgets it.
        self.first_rows = {}  # (what, value...) -> number of the first row that had it
        self.new_units = {}  # (unit name, level) -> (unit type, number of the row that made the unit)

    def repeat_of(self, number, row):
        """An error if the row names the same person as a row above (the rule of `find_duplicate`)."""
        name, unit, level, mobile = (row.get(heading, "") for heading in ("姓名", "工作单位", "属地", "手机号码"))
        keys = [(("person", name, unit, level), "姓名和工作单位"), (("mobile", mobile), "手机号码")]
        for key, what in keys:
            if not all(key[1:]):
                continue
            first = self.first_rows.setdefault(key, number)
            if first != number:
                return f"第 {number} 行与第 {first} 行重复（{what}相同）：同一人只能填写一行。"
        return None

    def form_data(self, number, row, errors):
        data = {}
        for column in IMPORT_COLUMNS:
            text = row.get(column.heading, "")
            if column.required and not text:
                errors.append(f"{column.heading}：必填，不能为空。")
                continue
            if not text:
                continue
            if column.choices is not None:
                values = {label: value for value, label in column.choices.choices}
                if text not in values:
                    errors.append(f"{column.heading}：未知的值“{text}”，可选：{'、'.join(values)}。")
                    continue
                data[column.field] = values[text]
            elif column.is_date:
                date = _parse_date(text)
                if date is None:
                    errors.append(f"{column.heading}：“{text}”不是有效日期，请写成 2024-05-01 的形式。")
                    continue
                data[column.field] = date.isoformat()
            elif column.field == "categories":
                names = [name for name in CATEGORY_SPLIT.split(text) if name]
                unknown = [name for name in names if name not in self.categories]
                if unknown:
                    errors.append(f"{column.heading}：未知的类别“{'、'.join(unknown)}”。")
                    continue
                data["categories"] = [self.categories[name] for name in names]
            else:
                data[column.field] = text
        self._resolve_unit(number, data, errors)
        return data

    def _resolve_unit(self, number, data, errors):
        name, unit_type, level = data.pop("unit", ""), data.pop("unit_type", ""), data.get("level")
        if not (name and unit_type and level):
            return
        earlier_type, earlier_number = self.new_units.get((name, level), (unit_type, None))
        if earlier_type != unit_type:
            errors.append(
                f"单位类型：“{name}”在第 {earlier_number} 行填写为“{UnitType(earlier_type).label}”，"
                f"与“{UnitType(unit_type).label}”不一致。"
            )
            return
        unit = Unit.objects.filter(name=name, level=level).first()
        if unit is None and level in {value for value, _ in levels_for(self.user)}:
            if not self.may_add_units:
                errors.append(f"工作单位：{Level(level).label}尚无“{name}”，您无权新建单位。")
                return
            # Made inside the import's transaction: a preview or a refused import leaves no unit behind.
            unit = Unit.objects.create(name=name, unit_type=unit_type, level=level)
            self.new_units.setdefault((name, level), (unit_type, number))
        elif unit is not None and unit.unit_type != unit_type:
            errors.append(
                f"单位类型：“{name}”已登记为“{unit.get_unit_type_display()}”，与“{UnitType(unit_type).label}”不一致。"
            )
            return
        if unit is not None:
            data["unit"] = unit.pk


def _form_errors(form):
    labels = {column.field: column.heading for column in IMPORT_COLUMNS}
    messages = []
    for field_name, errors in form.errors.items():
        if field_name == "unit" and "level" in form.errors:
            continue  # no unit was looked up for a level the user may not import; the level error says why
        heading = labels.get(field_name, "")
        messages.extend(format_html("{}：{}", heading, error) if heading else error for error in errors)
    return messages


def _import_row(reader, number, row):
    """Checks one row and creates its expert if it passes; the caller's transaction decides what stays."""
    result = RowResult(number=number, name=row.get("姓名", ""))
    data = reader.form_data(number, row, result.errors)
    if repeat := reader.repeat_of(number, row):
        result.errors.append(repeat)
    if not result.errors:
        form = ExpertForm(data=data, for_user=reader.user)
        if form.is_valid():
            expert = create_expert(form, user=reader.user, log_action=None)
            log(expert, "experts.import", user=reader.user, data=reader.log_data)
        else:
            result.errors.extend(_form_errors(form))
    return result


def check_rows(rows, *, user, progress=None):
    """Checks every row and saves nothing; calls `progress(rows checked)` after each few rows."""
    reader = RowReader(user)
    results = []
    for start in range(0, len(rows), CHECK_CHUNK_ROWS):
        with transaction.atomic():
            results.extend(_import_row(reader, number, row) for number, row in rows[start : start + CHECK_CHUNK_ROWS])
            transaction.set_rollback(True)
        if progress:
            progress(len(results))
    return ImportResult(rows=results)


def store_rows(rows, *, user, log_data=None):
    """Checks and saves every row in one transaction (or savepoint); nothing stays unless every row passed.
    Each stored expert is logged as imported, with `log_data` (the confirming address, the result)."""
    with transaction.atomic():
        reader = RowReader(user, log_data)
        outcome = ImportResult(rows=[_import_row(reader, number, row) for number, row in rows])
        if not outcome.is_valid:
            transaction.set_rollback(True)
    return outcome
