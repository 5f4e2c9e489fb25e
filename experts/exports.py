"""The expert list as a spreadsheet: one column layout for the XLSX and CSV exports,
the import template and the import itself (`experts.imports`).

Choice fields are written as their Chinese labels, dates as dates; both formats are
streamed row by row from the database so that 10,000 experts take little memory.
"""

import csv
import datetime
import io
import tempfile
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from staff.exports import as_download
from staff.levels import Level

from .models import (
    Degree,
    Education,
    ExpertStatus,
    Gender,
    PoliticalStatus,
    TalentCategory,
    TalentTeam,
    TitleLevel,
    UnitType,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
CATEGORY_SEPARATOR = "、"
CHUNK_SIZE = 1000


@dataclass(frozen=True)
class Column:
    heading: str
    field: str  # the expert form's field the import fills; "" if export-only
    value: Any  # expert -> cell value
    choices: Any = None  # TextChoices whose labels the cell holds
    required: bool = False
    imported: bool = True
    is_date: bool = False


def _label(choices, attribute):
    def value(expert):
        code = getattr(expert, attribute)
        return choices(code).label if code else ""

    return value


def _attr(attribute):
    return lambda expert: getattr(expert, attribute)


COLUMNS = [
    Column("姓名", "name", _attr("name"), required=True),
    Column("性别", "gender", _label(Gender, "gender"), Gender, required=True),
    Column("民族", "ethnicity", _attr("ethnicity"), required=True),
    Column("出生日期", "birth_date", _attr("birth_date"), is_date=True),
    Column("政治面貌", "political_status", _label(PoliticalStatus, "political_status"), PoliticalStatus, required=True),
    Column("学历", "education", _label(Education, "education"), Education),
    Column("学位", "degree", _label(Degree, "degree"), Degree),
    Column("专业技术职称", "professional_title", _attr("professional_title")),
    Column("职称级别", "title_level", _label(TitleLevel, "title_level"), TitleLevel, required=True),
    Column("职务", "position", _attr("position")),
    Column("专业领域", "specialty", _attr("specialty")),
    Column("工作单位", "unit", lambda expert: expert.unit.name, required=True),
    Column("单位类型", "unit_type", lambda expert: expert.unit.get_unit_type_display(), UnitType, required=True),
    Column("手机号码", "mobile", _attr("mobile")),
    Column("电子邮箱", "email", _attr("email")),
    Column("属地", "level", _label(Level, "level"), Level, required=True),
    Column("人才队伍", "talent_team", _label(TalentTeam, "talent_team"), TalentTeam, required=True),
    Column(
        "人才类别",
        "categories",
        lambda expert: CATEGORY_SEPARATOR.join(category.name for category in expert.category_list),
        required=True,
    ),
    Column("入库日期", "joined_on", _attr("joined_on"), required=True, is_date=True),
    Column("状态", "", _label(ExpertStatus, "status"), ExpertStatus, imported=False),
    Column("备注", "notes", _attr("notes")),
]
IMPORT_COLUMNS = [column for column in COLUMNS if column.imported]


def export_queryset(queryset):
    """What an export reads: the rows with what every column needs, fetched in chunks."""
    categories = Prefetch("categories", queryset=TalentCategory.objects.order_by("sort_order"), to_attr="category_list")
    return queryset.select_related("unit").prefetch_related(categories).iterator(chunk_size=CHUNK_SIZE)


def export_filenames(extension):
    """The export's name and its ASCII fallback (see `staff.exports.as_download`)."""
    day = f"{timezone.localdate():%Y%m%d}"
    return f"专家人才库-{day}.{extension}", f"experts-{day}.{extension}"


def _csv_value(column, value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class _Echo:
    def write(self, value):
        return value


def csv_rows(experts):
    """The CSV text, line by line, starting with a UTF-8 BOM so that Excel reads the Chinese."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.heading for column in COLUMNS])
    for expert in experts:
        yield writer.writerow([_csv_value(column, column.value(expert)) for column in COLUMNS])


def csv_response(queryset):
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_rows(export_queryset(queryset))),
        content_type="text/csv; charset=utf-8",
    )
    return as_download(response, *export_filenames("csv"))


def _header_cells(sheet, columns):
    for column in columns:
        cell = WriteOnlyCell(sheet, column.heading)
        cell.font = Font(bold=True)
        yield cell


def _data_cells(sheet, expert):
    # Plain values are cheapest for openpyxl; only dates and would-be formulas need a cell of their own.
    for column in COLUMNS:
        value = column.value(expert)
        if column.is_date and value:
            cell = WriteOnlyCell(sheet, value)
            cell.number_format = DATE_FORMAT
            yield cell
        elif isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"  # text, never a formula
            yield cell
        else:
            yield value


def write_xlsx(experts, output):
    """Writes the experts to `output` as XLSX; openpyxl's write-only mode keeps rows out of memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("专家人才")
    sheet.freeze_panes = "B2"
    sheet.append(_header_cells(sheet, COLUMNS))
    for expert in experts:
        sheet.append(_data_cells(sheet, expert))
    workbook.save(output)


def xlsx_response(queryset):
    # The file is built in a temporary file (not memory) and streamed from there.
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_xlsx(export_queryset(queryset), output)
    output.seek(0)
    return as_download(FileResponse(output, content_type=XLSX_CONTENT_TYPE), *export_filenames("xlsx"))


def import_template_response():
    """An empty sheet with the import headings, drop-down lists for the coded columns, and notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "专家人才"
    sheet.append([column.heading for column in IMPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(cell.value) * 3)
    sheet.freeze_panes = "B2"

    values = workbook.create_sheet("可选值")
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "是否必填", "说明"])
    values_column = 0
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        if column.choices is not None:
            labels = [label for _, label in column.choices.choices]
            values_column += 1
            values.cell(row=1, column=values_column, value=column.heading).font = Font(bold=True)
            for row, label in enumerate(labels, start=2):
                values.cell(row=row, column=values_column, value=label)
            values_letter = values.cell(row=1, column=values_column).column_letter
            validation = DataValidation(
                type="list",
                formula1=f"'可选值'!${values_letter}$2:${values_letter}${len(labels) + 1}",
                showErrorMessage=True,
                errorTitle="无效的值",
                error=f"请从下拉列表中选择{column.heading}。",
            )
            validation.add(f"{letter}2:{letter}2001")
            sheet.add_data_validation(validation)
            explanation = "可选：" + "、".join(labels)
        elif column.field == "categories":
            names = "、".join(TalentCategory.objects.values_list("name", flat=True))
            explanation = f"可填多个，用“{CATEGORY_SEPARATOR}”分隔。可选：{names}"
        elif column.is_date:
            explanation = "日期，例如 2024-05-01"
        elif column.field == "mobile":
            explanation = "11位手机号码"
        elif column.field == "unit":
            explanation = "单位全称；本属地尚无该单位时按“单位类型”自动新建"
        else:
            explanation = ""
        notes.append([column.heading, "必填" if column.required else "", explanation])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 90

    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    response = FileResponse(output, content_type=XLSX_CONTENT_TYPE)
    return as_download(response, "专家人才导入模板.xlsx", "expert-import-template.xlsx")
