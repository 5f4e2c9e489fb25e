"""The innovation chapter (创新创业支持, /admin/innovation/): support records, their amounts, the
platform rule, coverage, lists, export and county isolation."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from innovation.kinds import SUPPORT
from innovation.models import PlatformType, SupportKind, SupportRecord
from programme.coverage import Coverage
from programme.models import ProgrammeLogEntry
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year
NEW = "/admin/innovation/support/new/"


@pytest.fixture
def people():
    root = make_superuser()
    units = {level: make_unit(f"{level.label}科技公司", level) for level in (Level.CITY, Level.XINGBIN, Level.HESHAN)}
    experts = {
        "city": make_expert(root, units[Level.CITY], name="市专家"),
        "xingbin": make_expert(root, units[Level.XINGBIN], name="兴宾专家"),
        "xingbin2": make_expert(root, units[Level.XINGBIN], name="兴宾专家二", talent_team="highly_skilled"),
        "heshan": make_expert(root, units[Level.HESHAN], name="合山专家"),
    }
    return {
        "root": root,
        "city": make_staff("city", Level.CITY),
        "xingbin": make_staff("xingbin", Level.XINGBIN),
        "heshan": make_staff("heshan", Level.HESHAN),
        "experts": experts,
    }


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def support(experts, *, level, kind="funding_award", date=None, amount=None, **fields):
    fields.setdefault("granting_body", "来宾市科技局")
    return make_activity(
        SupportRecord, experts, level=level, date=date or datetime.date(YEAR, 3, 1), kind=kind, amount=amount, **fields
    )


def form_data(experts, **overrides):
    data = {
        "date": f"{YEAR}-04-01",
        "kind": "funding_award",
        "platform_type": "",
        "project": "甘蔗良种选育项目",
        "amount": "12000",
        "granting_body": "来宾市科技局",
        "team_name": "",
        "notes": "",
        "experts": [expert.pk for expert in experts],
    }
    return {**data, **overrides}


def test_a_county_office_records_a_teams_support_through_the_form(people):
    experts = people["experts"]
    client = client_of(people["xingbin"])
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW, form_data([experts["xingbin"], experts["xingbin2"]], team_name="糖料蔗创新团队", amount="50000.5")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = SupportRecord.objects.get()
    assert (record.level, record.recorded_by, record.amount) == (Level.XINGBIN, people["xingbin"], Decimal("50000.50"))
    assert record.team_name == "糖料蔗创新团队"
    assert set(record.attendances.values_list("expert__name", flat=True)) == {"兴宾专家", "兴宾专家二"}
    assert ProgrammeLogEntry.objects.for_instance(record).filter(action="wagtail.create").exists()
    inspect = client.get(response["Location"]).content.decode()
    assert "50,000.50\u00a0元" in inspect and "糖料蔗创新团队" in inspect
    listing = client.get("/admin/innovation/support/").content.decode()
    assert "50,000.50\u00a0元" in listing and "资金奖励" in listing


def test_a_county_cannot_name_another_countys_expert_by_a_crafted_id(people):
    experts = people["experts"]
    response = client_of(people["xingbin"]).post(NEW, form_data([experts["xingbin"], experts["heshan"]]))
    assert response.status_code == 200
    assert "只能选择您负责范围内的在库专家。" in response.content.decode()
    assert not SupportRecord.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "金额不能为负数。"),
        ("-0.01", "金额不能为负数。"),
        ("1.234", "金额最多保留两位小数（到分）。"),
        ("一万元", "请输入金额数字（单位：元）"),
        ("12,000", "请输入金额数字（单位：元）"),
        ("NaN", "请输入金额数字（单位：元）"),
        ("Infinity", "请输入金额数字（单位：元）"),
        ("1000000000000", "金额过大：整数部分最多12位"),
        ("1e20", "金额过大：整数部分最多12位"),
    ],
)
def test_absurd_amounts_are_refused_next_to_the_field(people, amount, message):
    experts = people["experts"]
    response = client_of(people["xingbin"]).post(NEW, form_data([experts["xingbin"]], amount=amount))
    assert response.status_code == 200
    assert message in response.context["form"].errors["amount"][0]
    assert not SupportRecord.objects.exists()


def test_text_beyond_the_fields_limits_is_refused(people):
    data = form_data([people["experts"]["xingbin"]], notes="注" * 2001, granting_body="局" * 101, project="项" * 201)
    response = client_of(people["xingbin"]).post(NEW, data)
    assert set(response.context["form"].errors) == {"notes", "granting_body", "project"}
    assert not SupportRecord.objects.exists()


def test_amounts_are_optional_and_kept_to_the_fen(people):
    experts = people["experts"]
    client = client_of(people["xingbin"])
    assert client.post(NEW, form_data([experts["xingbin"]], kind="tax_relief", amount="")).status_code == 302
    assert client.post(NEW, form_data([experts["xingbin"]], amount="999999999999.99")).status_code == 302
    assert sorted(SupportRecord.objects.values_list("amount", flat=True), key=str) == [
        Decimal("999999999999.99"),
        None,
    ]


@pytest.mark.parametrize(
    ("kind", "platform_type", "project", "errors"),
    [
        ("platform", "", "", {"platform_type": "请选择平台类型", "project": "请填写平台名称"}),
        ("funding_award", "expert_workstation", "项目", {"platform_type": "只有“创新平台建设”需要选择平台类型"}),
        ("platform", "expert_workstation", "来宾糖业专家工作站", {}),
    ],
)
def test_a_platform_type_goes_with_platforms_only(people, kind, platform_type, project, errors):
    data = form_data([people["experts"]["xingbin"]], kind=kind, platform_type=platform_type, project=project)
    response = client_of(people["xingbin"]).post(NEW, data)
    if not errors:
        assert response.status_code == 302
        assert SupportRecord.objects.get().kind_text == "创新平台建设（专家工作站）"
        return
    form_errors = response.context["form"].errors
    assert set(form_errors) == set(errors)
    for field, message in errors.items():
        assert message in form_errors[field][0]
    assert not SupportRecord.objects.exists()


def test_the_database_refuses_what_the_form_refuses(people):
    for fields in ({"amount": Decimal("-1")}, {"kind": "platform"}, {"platform_type": "expert_workstation"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            support([], level=Level.CITY, **fields)


def test_coverage_counts_the_experts_supported_this_year(people):
    experts = people["experts"]
    support([experts["xingbin"], experts["xingbin2"]], level=Level.XINGBIN, team_name="创新团队", amount=50000)
    support([experts["city"], experts["xingbin"]], level=Level.CITY, kind="research_grant", amount=12000)
    support([experts["heshan"]], level=Level.HESHAN, date=datetime.date(YEAR - 1, 6, 1))  # last year

    lines = {line.label: (line.total, line.counts) for line in Coverage(people["city"], YEAR, [SUPPORT]).lines("level")}
    assert lines == {"市本级": (1, [1]), "兴宾区": (2, [2]), "合山市": (1, [0]), "合计": (4, [3])}
    by_team = Coverage(people["city"], YEAR, [SUPPORT]).lines("talent_team")
    assert by_team[-1].counts == [3]
    county = Coverage(people["xingbin"], YEAR, [SUPPORT]).lines("level")
    assert [(line.label, line.total, line.counts) for line in county] == [("兴宾区", 2, [2]), ("合计", 2, [2])]

    client = client_of(people["city"])
    page = client.get(f"/admin/innovation/coverage/?year={YEAR}").content.decode()
    assert "获得创新创业支持" in page
    missing = client.get(f"/admin/innovation/coverage/?year={YEAR}&missing=innovation_support").content.decode()
    assert "合山专家" in missing and "兴宾专家二" not in missing


def test_lists_filter_by_year_level_team_and_kind_and_search_chinese(people):
    experts = people["experts"]
    team = support(
        [experts["xingbin"], experts["xingbin2"]],
        level=Level.XINGBIN,
        team_name="糖料蔗创新团队",
        project="甘蔗机械化收获",
        granting_body="兴宾区科工局",
    )
    platform = support(
        [experts["city"]],
        level=Level.CITY,
        kind="platform",
        platform_type="expert_workstation",
        project="来宾糖业专家工作站",
    )
    old = support([experts["heshan"]], level=Level.HESHAN, kind="tax_relief", date=datetime.date(YEAR - 1, 5, 1))
    client = client_of(people["city"])

    def listed(query):
        response = client.get(f"/admin/innovation/support/?{query}")
        assert response.status_code == 200
        return {record.pk for record in response.context["object_list"]}

    assert listed("") == {team.pk, platform.pk, old.pk}
    assert listed(f"year={YEAR}") == {team.pk, platform.pk}
    assert listed(f"year={YEAR - 1}") == {old.pk}
    assert listed("expert_level=xingbin") == {team.pk}
    assert listed("talent_team=highly_skilled") == {team.pk}
    assert listed("kind=platform") == {platform.pk}
    assert listed("platform_type=expert_workstation") == {platform.pk}
    assert listed("q=专家工作站") == {platform.pk}
    assert listed("q=创新团队") == {team.pk}
    assert listed("q=科工局") == {team.pk}
    assert listed("q=兴宾专家二") == {team.pk}  # an expert's name, the team listed once
    assert listed("q=合山") == {old.pk}


def test_the_export_writes_the_amount_as_a_number(people):
    experts = people["experts"]
    support([experts["xingbin"]], level=Level.XINGBIN, amount=Decimal("12000.50"), project="良种选育")
    support([experts["city"]], level=Level.CITY, kind="tax_relief", project="减免所得税")
    response = client_of(people["city"]).get("/admin/innovation/support/?export=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    headings = list(rows[0])
    assert headings[:5] == ["日期", "支持类别", "平台类型", "项目或平台名称", "金额（元）"]
    assert headings[-1] == "专家"
    by_project = {row[3]: row for row in rows[1:]}
    amount = by_project["良种选育"][headings.index("金额（元）")]
    assert isinstance(amount, float) and amount == 12000.5
    assert by_project["良种选育"][1] == "资金奖励" and by_project["良种选育"][-1] == "兴宾专家"
    assert by_project["减免所得税"][headings.index("金额（元）")] is None


def test_the_overview_totals_this_years_amounts_by_kind_among_visible_rows(people):
    experts = people["experts"]
    support([experts["xingbin"]], level=Level.XINGBIN, amount=Decimal("50000"))
    support([experts["xingbin2"]], level=Level.XINGBIN, amount=Decimal("1234.5"))
    support([experts["xingbin"]], level=Level.XINGBIN, kind="grassroots_posting")  # no amount
    support([experts["heshan"]], level=Level.HESHAN, kind="research_grant", amount=Decimal("8000"))
    support([experts["heshan"]], level=Level.HESHAN, amount=Decimal("7"), date=datetime.date(YEAR - 1, 1, 2))

    county = client_of(people["xingbin"]).get("/admin/innovation/")
    assert county.context["amount_totals"] == [
        ("资金奖励", 2, "51,234.50\u00a0元"),
        ("基层挂职", 1, "—"),
        ("合计", 3, "51,234.50\u00a0元"),
    ]
    city = client_of(people["city"]).get("/admin/innovation/").content.decode()
    assert "科研经费资助" in city and "59,234.50\u00a0元" in city

    # One query for the totals, however many kinds and rows.
    client = client_of(people["city"])
    client.get("/admin/innovation/")
    with CaptureQueriesContext(connection) as before:
        client.get("/admin/innovation/")
    for kind in ("tax_relief", "financial", "visiting_study"):
        support([experts["city"]], level=Level.CITY, kind=kind, amount=Decimal("1"))
    with CaptureQueriesContext(connection) as after:
        assert len(client.get("/admin/innovation/").context["amount_totals"]) == 7  # six kinds and 合计
    assert len(after) == len(before)


def test_another_countys_records_do_not_exist_for_a_county_office(people):
    experts = people["experts"]
    heshan = support([experts["heshan"]], level=Level.HESHAN, project="合山项目")
    city = support([experts["city"], experts["xingbin"]], level=Level.CITY, project="市级项目")
    client = client_of(people["xingbin"])
    for action in ("inspect", "edit", "delete", "history"):
        assert client.get(f"/admin/innovation/support/{action}/{heshan.pk}/").status_code == 404, action
    assert (
        client.post(f"/admin/innovation/support/edit/{heshan.pk}/", form_data([experts["xingbin"]])).status_code == 404
    )
    assert client.post(f"/admin/innovation/support/delete/{heshan.pk}/").status_code == 404
    assert SupportRecord.objects.get(pk=heshan.pk).project == "合山项目"
    assert heshan.pk not in {r.pk for r in client.get("/admin/innovation/support/").context["object_list"]}

    # A city record naming its expert: the county reads it, with only its own expert, and cannot change it.
    inspect = client.get(f"/admin/innovation/support/inspect/{city.pk}/").content.decode()
    assert "兴宾专家" in inspect and "市专家" not in inspect.replace("兴宾专家", "")
    assert client.get(f"/admin/innovation/support/edit/{city.pk}/")["Location"] == "/admin/"
    client.post(f"/admin/innovation/support/edit/{city.pk}/", form_data([experts["xingbin"]], project="改"))
    client.post(f"/admin/innovation/support/delete/{city.pk}/")
    assert SupportRecord.objects.get(pk=city.pk).project == "市级项目"

    # Its own record: the county may not slip another county's expert in on edit either.
    own = support([experts["xingbin"]], level=Level.XINGBIN)
    response = client.post(f"/admin/innovation/support/edit/{own.pk}/", form_data([experts["heshan"]]))
    assert "只能选择您负责范围内的在库专家。" in response.content.decode()
    assert list(own.attendances.values_list("expert__name", flat=True)) == ["兴宾专家"]


def test_the_demo_has_every_kind_this_year_and_last_and_runs_again_without_duplicates():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out, allow_demo_without_debug=True)
    records = SupportRecord.objects.all()
    assert {record.kind for record in records} == set(SupportKind.values)
    assert {record.platform_type for record in records} - {""} == set(PlatformType.values)
    assert {record.date.year for record in records} == {YEAR, YEAR - 1}
    assert len({record.level for record in records}) == len(Level)
    teams = [record for record in records if record.team_name]
    assert teams and all(record.attendances.count() > 1 for record in teams)
    before = records.count()
    call_command("load_demo_content", stdout=out, allow_demo_without_debug=True)
    assert SupportRecord.objects.count() == before
