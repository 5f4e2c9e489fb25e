"""The expert list as a spreadsheet: one column layout for the XLSX and CSV exports,
the import template and the import itself (`experts.imports`).

Choice fields are written as their Chinese labels, dates as dates; both formats are
streamed row by row from the database so that 10,000 experts take little memory.
`staff.exports` writes the files.
"""

from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from staff import exports
from staff.exports import Sheet, xlsx_response
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


def export_response(export_format, queryset):
    """The expert list as a "csv" or "xlsx" download, streamed row by row from the database."""
    rows = ([column.value(expert) for column in COLUMNS] for expert in export_queryset(queryset))
    sheet = Sheet("专家人才", [column.heading for column in COLUMNS], rows, freeze_panes="B2")
    day = f"{timezone.localdate():%Y%m%d}"
    return exports.export_response(export_format, sheet, f"专家人才库-{day}", f"experts-{day}")


def _explanation(column, labels):
    if labels:
        return "可选：" + "、".join(labels)
    if column.field == "categories":
        names = "、".join(TalentCategory.objects.values_list("name", flat=True))
        return f"可填多个，用“{CATEGORY_SEPARATOR}”分隔。可选：{names}"
    if column.is_date:
        return "日期，例如 2024-05-01"
    if column.field == "mobile":
        return "11位手机号码"
    if column.field == "unit":
        return "单位全称；本属地尚无该单位时按“单位类型”自动新建"
    return ""


def import_template_response():
    """An empty sheet with the import headings, drop-down lists for the coded columns, and notes."""
    choice_lists = []  # (heading, labels) for the sheet of allowed values, one column each
    validations = []
    notes = []
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        labels = [label for _, label in column.choices.choices] if column.choices is not None else []
        if labels:
            choice_lists.append((column.heading, labels))
            values_letter = get_column_letter(len(choice_lists))
            validation = DataValidation(
                type="list",
                formula1=f"'可选值'!${values_letter}$2:${values_letter}${len(labels) + 1}",
                showErrorMessage=True,
                errorTitle="无效的值",
                error=f"请从下拉列表中选择{column.heading}。",
            )
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}2001")
            validations.append(validation)
        notes.append([column.heading, "必填" if column.required else "", _explanation(column, labels)])
    sheets = [
        Sheet("专家人才", [column.heading for column in IMPORT_COLUMNS], freeze_panes="B2", validations=validations),
        Sheet(
            "可选值",
            [heading for heading, _ in choice_lists],
            [list(row) for row in zip_longest(*(labels for _, labels in choice_lists))],
        ),
        Sheet("填写说明", ["列", "是否必填", "说明"], notes),
    ]
    return xlsx_response(sheets, "专家人才导入模板.xlsx", "expert-import-template.xlsx")
