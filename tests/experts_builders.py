"""Small builders for the expert database tests."""

import datetime
import io
import itertools

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from experts.exports import IMPORT_COLUMNS
from experts.forms import ExpertForm
from experts.models import TalentCategory, Unit, UnitType
from experts.services import create_expert
from staff.levels import Level
from staff.models import StaffProfile
from staff.roles import CITY_OFFICE, COUNTY_OFFICE

from .task_worker import run_task_worker

_numbers = itertools.count(1)


def make_staff(username, level, group=None, password="pw"):  # noqa: S107 - test password
    """A staff member of `level` in the group that level belongs to (city or county office)."""
    group = group or (CITY_OFFICE if level == Level.CITY else COUNTY_OFFICE)
    user = User.objects.create_user(username, password=password)
    user.groups.add(Group.objects.get(name=group))
    StaffProfile.objects.create(user=user, level=level)
    return User.objects.get(pk=user.pk)


def make_superuser(username="root"):
    return User.objects.create_superuser(username, password="pw")


def make_unit(name="来宾市人民医院", level=Level.CITY, unit_type=UnitType.HOSPITAL):
    return Unit.objects.get_or_create(name=name, level=level, defaults={"unit_type": unit_type})[0]


def expert_data(unit=None, **overrides):
    """Valid ExpertForm data; a fresh mobile number each call so that records never clash by phone."""
    unit = unit or make_unit()
    data = {
        "name": f"测试专家{next(_numbers)}",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_date": "1980-05-01",
        "political_status": "cpc",
        "education": "doctorate",
        "degree": "doctor",
        "professional_title": "主任医师",
        "title_level": "senior",
        "position": "科室主任",
        "specialty": "心血管内科",
        "level": unit.level,
        "unit": unit.pk,
        "mobile": f"139{next(_numbers):08d}",
        "email": "expert@example.invalid",
        "talent_team": "professional_technical",
        "categories": [TalentCategory.objects.get(code="doctorate_or_deputy_senior").pk],
        "joined_on": "2024-03-01",
        "notes": "",
    }
    data.update(overrides)
    return data


def make_expert(user, unit=None, **overrides):
    """An expert created the way the admin creates one (form, entry in the status history)."""
    form = ExpertForm(data=expert_data(unit, **overrides), for_user=user)
    assert form.is_valid(), form.errors
    return create_expert(form, user=user)


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


HEADINGS = [column.heading for column in IMPORT_COLUMNS]


def xlsx_file(rows, headings=HEADINGS):
    """An uploaded XLSX file laid out like the import template."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(heading, "") for heading in headings])
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("experts.xlsx", output.getvalue())


def import_row(**values):
    """One valid row of an import file, as {heading: cell value}."""
    base = {
        "姓名": "导某一",
        "性别": "女",
        "民族": "壮族",
        "出生日期": datetime.date(1982, 4, 5),
        "政治面貌": "中共党员",
        "学历": "博士研究生",
        "学位": "博士",
        "专业技术职称": "教授",
        "职称级别": "正高级",
        "职务": "",
        "专业领域": "甘蔗育种",
        "工作单位": "兴宾区农业科学研究所",
        "单位类型": "科研院所",
        "手机号码": 13700000001,
        "电子邮箱": "daomouyi@example.invalid",
        "属地": "兴宾区",
        "人才队伍": "专业技术人才",
        "人才类别": "自治区级高层次人才计划入选者、博士研究生或副高级及以上职称",
        "入库日期": "2025-01-15",
        "备注": "",
    }
    base.update(values)
    return base


def run_import_worker():
    """Runs the background worker in this process until the import queue is empty."""
    run_task_worker("imports")
