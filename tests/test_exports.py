"""Every CSV/XLSX goes through one writer (staff.exports): BOM, formula guard, numbers, widths, local times."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from experts.models import Expert, ExpertImport, ImportState
from intake import workflow
from intake.models import IntakeItem, Satisfaction
from staff import exports
from staff.exports import Sheet
from staff.levels import Level
from staff.roles import CITY_OFFICE
from tests.experts_builders import make_expert, run_import_worker
from tests.experts_builders import make_staff as make_expert_staff
from tests.intake_builders import at, contact_page_fixture, form_data, make_staff, new_item  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE_URL = "/admin/intake/items/"
FORMULAS = ['=HYPERLINK("http://x","y")', "-1+2", "@SUM(1)", "+1", "  =1+1", "\t=1", "\r=1"]


@pytest.fixture
def city():
    return make_staff("city", Level.CITY, CITY_OFFICE)


def content_of(response):
    return b"".join(response.streaming_content)


def csv_rows(response):
    return list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(content_of(response))).worksheets[0]


def xlsx_rows(response):
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def column(rows, heading):
    index = rows[0].index(heading)
    return [row[index] for row in rows[1:]]


def test_a_visitors_formula_leaves_the_queue_inert_in_csv_and_xlsx(client, contact_page, city):
    client.post("/contact/", form_data(unit='=HYPERLINK("http://x","y")'))
    assert IntakeItem.objects.get().unit == '=HYPERLINK("http://x","y")'  # stored as typed
    client.force_login(city)
    assert column(csv_rows(client.get(QUEUE_URL + "?export=csv")), "工作单位") == ['\'=HYPERLINK("http://x","y")']
    sheet = xlsx_sheet(client.get(QUEUE_URL + "?export=xlsx"))
    cell = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("工作单位") + 1)
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://x","y")', "s")


@pytest.mark.parametrize("value", FORMULAS)
def test_every_formula_start_is_guarded_in_the_queue_export(client, city, value):
    new_item(unit=value)
    client.force_login(city)
    assert column(csv_rows(client.get(QUEUE_URL + "?export=csv")), "工作单位") == ["'" + value]
    # openpyxl reads a lone "\r" back as "\n"; Excel does the same.
    expected = "'" + value.replace("\r", "\n")
    assert column(xlsx_rows(client.get(QUEUE_URL + "?export=xlsx")), "工作单位") == [expected]


@pytest.mark.parametrize("value", ["韦某", "1+2", "a=b", "'=x", "邮箱 a@b.cn", "", "＝全角"])
def test_text_that_is_no_formula_is_left_as_it_is(value):
    assert exports.guard(value) == value


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_expert_export_guards_a_formula_the_same_way(client, export_format):
    user = make_expert_staff("expert-city", Level.CITY)
    make_expert(user, notes="@SUM(1)")
    client.force_login(user)
    response = client.get(f"/admin/experts/?export={export_format}")
    rows = csv_rows(response) if export_format == "csv" else xlsx_rows(response)
    assert column(rows, "备注") == ["'@SUM(1)"]


def test_a_guarded_value_imports_back_as_it_was(client):
    user = make_expert_staff("expert-city", Level.CITY)
    make_expert(user, name="回某人", notes="-请勿外传")
    client.force_login(user)
    exported = content_of(client.get("/admin/experts/?export=xlsx"))
    Expert.objects.all().delete()
    client.post("/admin/experts/import/", {"file": SimpleUploadedFile("back.xlsx", exported)})
    run_import_worker()
    job = ExpertImport.objects.get()
    assert job.state == ImportState.READY, job.row_results
    client.post(f"/admin/experts/import/{job.pk}/confirm/")
    run_import_worker()
    assert Expert.objects.get().notes == "-请勿外传"


def write(sheet):
    output = io.BytesIO()
    exports.write_xlsx([sheet], output)
    return load_workbook(output).worksheets[0]


def test_numbers_stay_numbers_and_only_text_is_guarded():
    sheet = Sheet("测试", ["数", "文字"], [[-3, "-3"], [2.5, "-1+2"]])
    xlsx = write(sheet)
    assert [(cell.value, cell.data_type) for cell in xlsx["A"][1:]] == [(-3, "n"), (2.5, "n")]
    assert [cell.value for cell in xlsx["B"][1:]] == ["'-3", "'-1+2"]
    lines = list(exports.csv_lines(sheet))
    assert lines[1:] == ["-3,'-3\r\n", "2.5,'-1+2\r\n"]


def test_column_widths_fit_chinese_text_and_are_capped():
    xlsx = write(Sheet("测试", ["工作单位名称", "unit_name", "备注"], [["", "", "长" * 200]]))
    widths = {letter: xlsx.column_dimensions[letter].width for letter in "ABC"}
    assert widths["A"] > widths["B"]  # six Chinese characters against nine Latin ones
    assert widths["A"] == 6 * 2 + 2
    assert widths["C"] == exports.MAX_WIDTH


def test_a_control_character_a_visitor_typed_does_not_break_the_xlsx(client, city):
    new_item(subject="经费\x08拨付问题")
    client.force_login(city)
    response = client.get(QUEUE_URL + "?export=xlsx")
    assert column(xlsx_rows(response), "主题") == ["经费拨付问题"]


def test_queue_times_are_written_in_local_time(client, city):
    with at(2026, 10, 9, hour=0):  # 2026-10-08 16:00 UTC
        item, _ = new_item()
        workflow.accept(item, city)
    client.force_login(city)
    received = column(xlsx_rows(client.get(QUEUE_URL + "?export=xlsx")), "登记时间")
    assert received == [datetime.datetime(2026, 10, 9, 0, 0)]  # a real date cell
    assert column(csv_rows(client.get(QUEUE_URL + "?export=csv")), "登记时间") == ["2026-10-09 00:00"]


@pytest.fixture
def october(city):
    """Two items closed in October 2026: a median of 9.5 working days, half on time, half satisfied."""
    with at(2026, 10, 9):
        quick, _ = new_item()
        slow, _ = new_item()
        for item in (quick, slow):
            workflow.accept(item, city)
    with at(2026, 10, 13):
        workflow.close(quick, city, "已答复")
        workflow.follow_up(quick, city, satisfaction=Satisfaction.SATISFIED)
    with at(2026, 10, 30):
        workflow.close(slow, city, "已答复")
        workflow.follow_up(slow, city, satisfaction=Satisfaction.DISSATISFIED)
    return reverse("intake_statistics:index") + "?month=2026-10"


def test_monthly_statistics_write_days_and_shares_as_numbers_in_xlsx(client, city, october):
    client.force_login(city)
    sheet = xlsx_sheet(client.get(october + "&export=xlsx"))
    cells = {row[1].value: row[2] for row in sheet.iter_rows(min_row=2)}
    median = cells["办理用时中位数（个工作日）"]
    assert (median.value, median.data_type) == (9.5, "n")
    for label in ("按期办结率", "满意率（含基本满意）"):
        assert (cells[label].value, cells[label].data_type, cells[label].number_format) == (0.5, "n", "0.0%")
    assert [cell.value for cell in sheet[1]] == ["分类", "项目", "数值"]


def test_monthly_statistics_write_plain_numbers_in_csv(client, city, october):
    client.force_login(city)
    response = client.get(october + "&export=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="intake-statistics-2026-10.csv"')
    values = {label: value for _, label, value in csv_rows(response)[1:]}
    assert values["办理用时中位数（个工作日）"] == "9.5"
    assert values["按期办结率"] == values["满意率（含基本满意）"] == "0.5"
    assert values["登记总数"] == "2"


def test_a_share_of_nothing_is_an_empty_cell_and_a_dash_on_screen(client, city):
    client.force_login(city)
    url = reverse("intake_statistics:index") + "?month=2026-10"
    values = {label: value for _, label, value in csv_rows(client.get(url + "&export=csv"))[1:]}
    assert values["按期办结率"] == values["办理用时中位数（个工作日）"] == ""
    assert "<td>—</td>" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "url",
    [QUEUE_URL + "?export=csv", "/admin/experts/?export=csv", "/admin/intake/statistics/?export=csv"],
)
def test_every_csv_export_starts_with_a_bom(client, url):
    user = make_staff("root", is_superuser=True)
    new_item()
    make_expert(user)
    client.force_login(user)
    response = client.get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content_of(response).startswith(b"\xef\xbb\xbf")
