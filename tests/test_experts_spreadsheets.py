"""Export to XLSX/CSV and import from XLSX: same headings both ways, nothing partial, scoped by level."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from experts.exports import COLUMNS
from experts.imports import CHECK_CHUNK_ROWS
from experts.models import Expert, ExpertImport, ExpertLogEntry, ExpertStatusChange, ImportState, TalentCategory, Unit
from experts.services import remove_expert
from staff.levels import Level
from staff.models import ExportLogEntry

from .experts_builders import (
    HEADINGS,
    days_ago,
    import_row,
    make_expert,
    make_staff,
    make_unit,
    run_import_worker,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_user():
    return make_staff("city", Level.CITY)


@pytest.fixture
def county_user():
    return make_staff("xingbin", Level.XINGBIN)


def content_of(response):
    return b"".join(response.streaming_content)


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(content_of(response))).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# Export ----------------------------------------------------------------------------------


def test_xlsx_export_reads_back_with_labels_dates_and_one_row_per_expert(client, city_user):
    expert = make_expert(city_user, name="韦某明", mobile="13912345678", joined_on="2024-03-01")
    expert.categories.add(TalentCategory.objects.get(code="national_programme"))
    client.force_login(city_user)

    response = client.get("/admin/experts/?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response)

    assert rows[0] == [column.heading for column in COLUMNS]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["姓名"] == "韦某明"
    assert row["性别"] == "男"
    assert row["政治面貌"] == "中共党员"
    assert row["职称级别"] == "正高级"
    assert row["属地"] == "市本级"
    assert row["人才队伍"] == "专业技术人才"
    assert row["单位类型"] == "医院"
    assert row["状态"] == "在库"
    assert row["手机号码"] == "13912345678"
    assert row["人才类别"] == "国家级高层次人才计划入选者、博士研究生或副高级及以上职称"
    assert row["入库日期"] == datetime.datetime(2024, 3, 1)  # a real date cell, not text
    assert row["出生日期"] == datetime.datetime(1980, 5, 1)


def test_csv_export_has_a_bom_and_chinese_labels(client, city_user):
    make_expert(city_user, name="韦某明", joined_on="2024-03-01")
    client.force_login(city_user)
    response = client.get("/admin/experts/?export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = content_of(response)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["姓名"], row["属地"], row["入库日期"], row["性别"]) == ("韦某明", "市本级", "2024-03-01", "男")


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_download_under_their_chinese_name_with_an_ascii_fallback(client, city_user, export_format):
    client.force_login(city_user)
    day = f"{timezone.localdate():%Y%m%d}"
    response = client.get(f"/admin/experts/?export={export_format}")
    assert response["Content-Disposition"] == (
        f'attachment; filename="experts-{day}.{export_format}"; '
        f"filename*=UTF-8''{quote(f'专家人才库-{day}.{export_format}')}"
    )


def test_export_follows_the_filters_and_the_users_level(client, city_user, county_user):
    make_expert(city_user, make_unit("兴宾区人民医院", Level.XINGBIN), name="兴某甲")
    make_expert(city_user, make_unit("兴宾区第一中学", Level.XINGBIN, "school"), name="兴某乙")
    make_expert(city_user, make_unit("合山市人民医院", Level.HESHAN), name="合某丙")
    client.force_login(county_user)

    names = [row[0] for row in read_xlsx(client.get("/admin/experts/?export=xlsx"))[1:]]
    assert sorted(names) == ["兴某乙", "兴某甲"]
    names = [row[0] for row in read_xlsx(client.get("/admin/experts/?export=xlsx&unit_type=school"))[1:]]
    assert names == ["兴某乙"]
    names = [row[0] for row in read_xlsx(client.get("/admin/experts/?export=xlsx&q=合山"))[1:]]
    assert names == []


def test_export_leaves_out_removed_experts_unless_asked(client, city_user):
    expert = make_expert(city_user, name="走某人")
    remove_expert(expert, date=days_ago(0), reason="left_city", basis="", user=city_user)
    client.force_login(city_user)
    assert len(read_xlsx(client.get("/admin/experts/?export=xlsx"))) == 1
    assert read_xlsx(client.get("/admin/experts/?export=xlsx&status=removed"))[1][0] == "走某人"


def test_every_export_is_logged_with_the_user(client, county_user, city_user):
    make_expert(city_user, make_unit("兴宾区职业技术学校", Level.XINGBIN), name="技某人", talent_team="highly_skilled")
    make_expert(city_user, make_unit("兴宾区人民医院", Level.XINGBIN), name="医某人")
    client.force_login(county_user)
    content_of(client.get("/admin/experts/?export=csv&talent_team=highly_skilled"))
    entry = ExportLogEntry.objects.get(action="experts.export")
    assert (entry.user, entry.level, entry.label) == (county_user, Level.XINGBIN, "导出专家名单（CSV）")
    assert entry.content_type.model_class() is Expert
    assert entry.data["rows"] == 1
    assert entry.data["format"] == "csv"
    assert "talent_team=highly_skilled" in entry.data["query"]


def test_site_history_shows_a_county_its_own_exports_with_the_row_count(client, county_user, city_user):
    make_expert(city_user, make_unit("兴宾区人民医院", Level.XINGBIN), name="医某人")
    client.force_login(county_user)
    content_of(client.get("/admin/experts/?export=xlsx"))
    client.force_login(city_user)
    content_of(client.get("/admin/experts/?export=csv"))

    client.force_login(county_user)
    history = client.get("/admin/reports/site-history/").content.decode()
    assert "导出专家名单（XLSX）" in history and "已导出 1 条" in history
    assert "导出专家名单（CSV）" not in history  # the city's export
    client.force_login(city_user)
    history = client.get("/admin/reports/site-history/").content.decode()
    assert "导出专家名单（XLSX）" in history and "导出专家名单（CSV）" in history


def test_a_formula_in_a_field_is_exported_as_text(client, city_user):
    make_expert(city_user, notes='=HYPERLINK("http://evil.example")')
    client.force_login(city_user)
    workbook = load_workbook(io.BytesIO(content_of(client.get("/admin/experts/?export=xlsx"))))
    notes_cell = workbook.worksheets[0].cell(row=2, column=[c.heading for c in COLUMNS].index("备注") + 1)
    assert notes_cell.data_type == "s"


# Import ----------------------------------------------------------------------------------


def upload(client, rows, **kwargs):
    """Uploads a file, lets the worker check it, and opens the import's page (the preview, or the errors)."""
    return upload_file(client, xlsx_file(rows, **kwargs))


def upload_file(client, upload_file):
    response = client.post("/admin/experts/import/", {"file": upload_file})
    assert response.status_code == 302, response.context["form"].errors
    run_import_worker()
    return client.get(response["Location"])


def confirm(client, response):
    """Confirms a previewed import, lets the worker store it, and opens the import's page (the result)."""
    job = response.context["job"]
    assert client.post(f"/admin/experts/import/{job.pk}/confirm/").status_code == 302
    run_import_worker()
    return client.get(job.get_absolute_url())


def errors_by_row(job):
    return {row["number"]: " ".join(row["errors"]) for row in job.error_rows}


def test_the_template_has_the_import_headings_and_notes(client, county_user):
    client.force_login(county_user)
    response = client.get("/admin/experts/import/template/")
    assert response["Content-Disposition"].startswith('attachment; filename="expert-import-template.xlsx"; filename*=')
    workbook = load_workbook(io.BytesIO(content_of(response)))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADINGS
    assert workbook.sheetnames == ["专家人才", "可选值", "填写说明"]
    assert workbook.worksheets[0].data_validations.dataValidation  # drop-down lists for coded columns


def test_an_exported_file_imports_again_after_the_duplicates_are_gone(client, city_user):
    make_expert(city_user, name="回某人", mobile="13911112222")
    client.force_login(city_user)
    exported = content_of(client.get("/admin/experts/?export=xlsx"))
    Expert.objects.all().delete()
    job = upload_file(client, SimpleUploadedFile("back.xlsx", exported)).context["job"]
    assert job.state == ImportState.READY, job.error_rows


def test_preview_checks_every_row_and_writes_nothing(client, county_user):
    client.force_login(county_user)
    response = upload(client, [import_row(), import_row(姓名="导某二", 手机号码="13700000002")])
    job = response.context["job"]
    assert job.state == ImportState.READY and len(job.row_results) == 2
    assert "确认导入 2 名专家" in response.content.decode()
    assert not Expert.objects.exists()
    assert not Unit.objects.exists()  # the new unit was made inside the rolled-back preview only
    assert not ExpertStatusChange.objects.exists()
    assert not ExpertLogEntry.objects.filter(action="experts.import").exists()


def test_confirm_imports_every_row_with_history_and_log(client, county_user):
    client.force_login(county_user)
    response = confirm(client, upload(client, [import_row(), import_row(姓名="导某二", 手机号码="13700000002")]))
    assert response.context["job"].state == ImportState.IMPORTED
    assert "已导入 2 名专家" in response.content.decode()
    experts = Expert.objects.order_by("name")
    assert [expert.name for expert in experts] == ["导某一", "导某二"]
    expert = experts[0]
    assert (expert.level, expert.gender, expert.mobile, expert.birth_date.isoformat()) == (
        "xingbin",
        "female",
        "13700000001",
        "1982-04-05",
    )
    assert expert.unit.unit_type == "research_institute" and expert.unit.level == "xingbin"
    assert expert.categories.count() == 2
    assert expert.status_changes.get().date.isoformat() == "2025-01-15"
    entries = ExpertLogEntry.objects.filter(action="experts.import", user=county_user)
    assert entries.count() == 2
    # Like every audit entry: the address the import was confirmed from, and the result.
    assert [{key: entry.data[key] for key in ("ip", "result")} for entry in entries] == [
        {"ip": "127.0.0.1", "result": "成功"}
    ] * 2


def test_one_bad_row_refuses_the_whole_file_with_row_numbered_errors(client, county_user):
    client.force_login(county_user)
    rows = [
        import_row(),
        import_row(姓名="错某一", 手机号码="12345"),
        import_row(姓名="错某二", 属地="南宁市", 手机号码="13700000003"),
        import_row(姓名="错某三", 单位类型="工厂", 工作单位="新单位", 手机号码="13700000004"),
        import_row(姓名="", 手机号码="13700000005"),
        import_row(姓名="错某五", 出生日期="明年", 手机号码="13700000006"),
    ]
    response = upload(client, rows)
    job = response.context["job"]
    assert job.state == ImportState.REFUSED
    errors = errors_by_row(job)
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "请输入11位手机号码" in errors[3]
    assert "属地：未知的值“南宁市”" in errors[4]
    assert "单位类型：未知的值“工厂”" in errors[5]
    assert "姓名：必填" in errors[6]
    assert "出生日期：“明年”不是有效日期" in errors[7]
    assert "确认导入" not in response.content.decode()
    assert not Expert.objects.exists() and not Unit.objects.exists()


def test_a_person_listed_twice_or_already_in_the_database_is_refused(client, county_user):
    existing = make_expert(county_user, make_unit("兴宾区人民医院", Level.XINGBIN), mobile="13700000009")
    client.force_login(county_user)
    rows = [
        import_row(),
        import_row(手机号码="13700000002"),  # the same name at the same unit as row 2
        import_row(姓名="旧某人", 手机号码="13700000009"),  # the mobile of a record in the database
        import_row(
            姓名="导某三", 工作单位="兴宾区第二中学", 单位类型="中小学", 手机号码="13700000001"
        ),  # row 2's mobile
    ]
    response = upload(client, rows)
    errors = errors_by_row(response.context["job"])
    assert set(errors) == {3, 4, 5}
    assert "第 3 行与第 2 行重复（姓名和工作单位相同）" in errors[3]
    assert "第 5 行与第 2 行重复（手机号码相同）" in errors[5]
    assert "查看已有记录" not in errors[3] + errors[5]  # no link to a record the preview never kept
    assert f"与已有专家“{existing.name}”" in errors[4]
    assert f'<a href="/admin/experts/inspect/{existing.pk}/">查看已有记录</a>' in response.content.decode()
    assert Expert.objects.count() == 1


def test_a_new_unit_given_two_types_in_one_file_is_refused_however_far_apart(client, county_user):
    client.force_login(county_user)
    rows = [import_row(姓名=f"导某{n}", 手机号码=f"137{n:08d}") for n in range(CHECK_CHUNK_ROWS + 1)]
    # The first row of the check's second transaction, after the first rolled back the unit row 2 made.
    rows[CHECK_CHUNK_ROWS]["单位类型"] = "医院"
    errors = errors_by_row(upload(client, rows).context["job"])
    assert errors == {
        CHECK_CHUNK_ROWS + 2: "单位类型：“兴宾区农业科学研究所”在第 2 行填写为“科研院所”，与“医院”不一致。"
    }


def test_county_staff_cannot_import_another_levels_experts(client, county_user):
    client.force_login(county_user)
    job = upload(client, [import_row(属地="合山市")]).context["job"]
    assert job.error_rows[0]["errors"] == ["属地：您只能录入本属地的记录。"]
    assert not Unit.objects.exists()


def test_a_file_with_wrong_headings_is_refused_as_a_whole(client, county_user):
    client.force_login(county_user)
    response = upload(client, [import_row()], headings=HEADINGS[:-3])
    assert response.context["job"].state == ImportState.REFUSED
    assert "表头缺少" in response.content.decode()
    assert "导入预览" not in response.content.decode()


def test_a_file_that_is_not_xlsx_is_refused(client, county_user):
    client.force_login(county_user)
    response = upload_file(client, SimpleUploadedFile("a.xlsx", b"not a workbook"))
    assert "无法读取该文件" in response.content.decode()
    response = client.post("/admin/experts/import/", {"file": SimpleUploadedFile("a.csv", b"a,b")})
    assert "请上传 .xlsx 格式" in response.content.decode()  # refused at once, nothing queued
    assert ExpertImport.objects.count() == 1


def test_confirm_rechecks_and_refuses_if_the_database_changed(client, county_user):
    client.force_login(county_user)
    preview = upload(client, [import_row()])
    make_expert(county_user, make_unit("兴宾区人民医院", Level.XINGBIN), mobile="13700000001")
    response = confirm(client, preview)
    assert response.context["job"].state == ImportState.REFUSED
    assert "重复" in errors_by_row(response.context["job"])[2]
    assert Expert.objects.count() == 1


def test_an_import_with_errors_cannot_be_confirmed(client, county_user):
    client.force_login(county_user)
    job = upload(client, [import_row(姓名="")]).context["job"]
    response = client.post(f"/admin/experts/import/{job.pk}/confirm/", follow=True)
    assert "不能确认" in response.content.decode()
    run_import_worker()
    assert not Expert.objects.exists()
