"""The consulting chapter (决策咨询, /admin/consulting/): industry development groups, consultations
and popular-science activities; their rules, scope, lists and the yearly coverage."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from consulting import kinds
from consulting.models import Consultation, IndustryGroup, PopularScience
from programme.coverage import Coverage
from programme.forms import EXPERT_REFUSED
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def people():
    root = make_superuser()
    units = {level: make_unit(f"{level.label}农科所", level) for level in (Level.CITY, Level.XINGBIN, Level.HESHAN)}
    experts = {
        "city": make_expert(root, units[Level.CITY], name="市农某"),
        "xingbin": make_expert(root, units[Level.XINGBIN], name="兴宾蔗某"),
        "xingbin2": make_expert(root, units[Level.XINGBIN], name="兴宾糖某", talent_team="highly_skilled"),
        "heshan": make_expert(root, units[Level.HESHAN], name="合山煤某"),
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


def make_group(experts, lead, *, level, name="糖业产业发展小组", **fields):
    return make_activity(IndustryGroup, experts, level=level, name=name, sector="糖业", lead=lead, **fields)


def make_consultation(experts, *, level, matter="糖业转型升级方案", date=None, **fields):
    fields = {"stage": "before", "advice": "建议延长产业链", "adoption": "pending", **fields}
    return make_activity(Consultation, experts, level=level, matter=matter, date=date, **fields)


def group_data(experts, lead, **overrides):
    return {
        "name": "甘蔗产业发展小组",
        "sector": "甘蔗种植",
        "date": f"{YEAR}-02-01",
        "experts": [expert.pk for expert in experts],
        "lead": lead.pk,
        "notes": "",
        **overrides,
    }


def consultation_data(experts=(), groups=(), **overrides):
    return {
        "matter": "兴宾区糖料蔗良种推广方案",
        "stage": "before",
        "date": f"{YEAR}-04-10",
        "experts": [expert.pk for expert in experts],
        "groups": [group.pk for group in groups],
        "advice": "分片推广，先试点后铺开",
        "adoption": "pending",
        "adopting_body": "",
        **overrides,
    }


def errors_of(response):
    assert response.status_code == 200, response.get("Location")
    return response.context["form"].errors


def test_a_county_office_records_each_kind_through_the_forms(people):
    experts = people["experts"]
    client = client_of(people["xingbin"])

    response = client.post(
        "/admin/consulting/groups/new/", group_data([experts["xingbin"], experts["xingbin2"]], experts["xingbin"])
    )
    assert response.status_code == 302, errors_of(response)
    group = IndustryGroup.objects.get()
    assert (group.level, group.lead, group.recorded_by) == (Level.XINGBIN, experts["xingbin"], people["xingbin"])
    assert set(group.attendances.values_list("expert_id", flat=True)) == {experts["xingbin"].pk, experts["xingbin2"].pk}
    assert response["Location"] == f"/admin/consulting/groups/inspect/{group.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "成立日期" in page and "兴宾蔗某（兴宾区农科所）" in page

    # Only the group: its members become the experts consulted.
    data = consultation_data(groups=[group], adoption="partly", adopting_body="兴宾区农业农村局")
    response = client.post("/admin/consulting/consultations/new/", data)
    assert response.status_code == 302, errors_of(response)
    consultation = Consultation.objects.get()
    assert list(consultation.groups.all()) == [group]
    assert set(consultation.attendances.values_list("expert_id", flat=True)) == {
        experts["xingbin"].pk,
        experts["xingbin2"].pk,
    }
    assert consultation.adopting_body == "兴宾区农业农村局"
    page = client.get(response["Location"]).content.decode()
    assert "咨询的产业发展小组" in page and "甘蔗产业发展小组" in page and "部分采纳" in page

    response = client.post(
        "/admin/consulting/science/new/",
        {
            "date": f"{YEAR}-05-20",
            "topic": "甘蔗病虫害防治",
            "place": "凤凰镇",
            "audience": "蔗农",
            "audience_size": "0",
            "experts": [experts["xingbin2"].pk],
        },
    )
    assert response.status_code == 302, errors_of(response)
    science = PopularScience.objects.get()
    assert (science.audience_size, science.level) == (0, Level.XINGBIN)


def test_another_countys_expert_or_group_is_refused_by_crafted_id(people):
    experts = people["experts"]
    heshan_group = make_group([experts["heshan"]], experts["heshan"], level=Level.HESHAN, name="合山煤电小组")
    client = client_of(people["xingbin"])

    response = client.post("/admin/consulting/groups/new/", group_data([experts["heshan"]], experts["xingbin"]))
    assert EXPERT_REFUSED in errors_of(response)["experts"]
    response = client.post("/admin/consulting/groups/new/", group_data([experts["xingbin"]], experts["heshan"]))
    assert EXPERT_REFUSED in errors_of(response)["lead"]
    response = client.post(
        "/admin/consulting/consultations/new/", consultation_data([experts["xingbin"]], groups=[heshan_group])
    )
    assert "只能选择您可以查看的产业发展小组。" in errors_of(response)["groups"]
    response = client.post(
        "/admin/consulting/science/new/",
        {
            "topic": "科普",
            "place": "学校",
            "audience": "学生",
            "audience_size": "30",
            "experts": [experts["heshan"].pk],
        },
    )
    assert EXPERT_REFUSED in errors_of(response)["experts"]
    assert IndustryGroup.objects.count() == 1 and not Consultation.objects.exists()
    assert not PopularScience.objects.exists()


def test_the_lead_must_be_a_member(people):
    experts = people["experts"]
    client = client_of(people["xingbin"])
    response = client.post("/admin/consulting/groups/new/", group_data([experts["xingbin"]], experts["xingbin2"]))
    assert "组长必须是本小组的成员：请先把他（她）加入小组成员。" in errors_of(response)["lead"]
    response = client.post(
        "/admin/consulting/groups/new/", {**group_data([experts["xingbin"]], experts["xingbin"]), "lead": ""}
    )
    assert "请选择组长。" in errors_of(response)["lead"]
    assert not IndustryGroup.objects.exists()
    # Editing: dropping the lead from the members is refused as well.
    group = make_group([experts["xingbin"], experts["xingbin2"]], experts["xingbin"], level=Level.XINGBIN)
    response = client.post(
        f"/admin/consulting/groups/edit/{group.pk}/", group_data([experts["xingbin2"]], experts["xingbin"])
    )
    assert "组长必须是本小组的成员：请先把他（她）加入小组成员。" in errors_of(response)["lead"]
    assert group.attendances.count() == 2


@pytest.mark.parametrize("adoption", ["adopted", "partly"])
def test_an_adopted_advice_needs_its_adopting_body(people, adoption):
    client = client_of(people["xingbin"])
    data = consultation_data([people["experts"]["xingbin"]], adoption=adoption, adopting_body="  ")
    response = client.post("/admin/consulting/consultations/new/", data)
    assert "意见已采纳或部分采纳时，请填写采纳单位。" in errors_of(response)["adopting_body"]
    assert not Consultation.objects.exists()


def test_a_consultation_names_an_expert_or_a_group(people):
    client = client_of(people["xingbin"])
    response = client.post("/admin/consulting/consultations/new/", consultation_data(adoption="not_adopted"))
    assert "请至少选择一位专家或一个产业发展小组。" in errors_of(response)["experts"]
    response = client.post(
        "/admin/consulting/consultations/new/", consultation_data([people["experts"]["xingbin"]], adoption="pending")
    )
    assert response.status_code == 302


def test_the_audience_size_cannot_be_negative(people):
    client = client_of(people["xingbin"])
    response = client.post(
        "/admin/consulting/science/new/",
        {
            "date": f"{YEAR}-05-20",
            "topic": "科普",
            "place": "学校",
            "audience": "学生",
            "audience_size": "-5",
            "experts": [people["experts"]["xingbin"].pk],
        },
    )
    assert "受众人数不能为负数。" in errors_of(response)["audience_size"]
    assert "受众人数不能为负数。" in response.content.decode()
    assert not PopularScience.objects.exists()


def test_the_yearly_coverage_counts_consultations_and_science(people):
    experts = people["experts"]
    city = people["city"]
    make_group([experts["city"], experts["heshan"]], experts["city"], level=Level.CITY)  # counts nothing
    make_consultation([experts["xingbin"], experts["city"]], level=Level.CITY, date=datetime.date(YEAR, 3, 1))
    make_consultation([experts["xingbin"]], level=Level.XINGBIN, date=datetime.date(YEAR, 6, 1))
    make_consultation([experts["heshan"]], level=Level.HESHAN, date=datetime.date(YEAR - 1, 6, 1))
    make_activity(
        PopularScience,
        [experts["xingbin2"]],
        level=Level.XINGBIN,
        date=datetime.date(YEAR, 7, 1),
        topic="科普",
        place="学校",
        audience="学生",
        audience_size=40,
    )
    coverage = Coverage(city, YEAR, [kinds.GROUPS, kinds.CONSULTATIONS, kinds.SCIENCE])
    assert [kind.key for kind in coverage.kinds] == ["consulting_consultations", "consulting_science"]
    lines = {line.label: (line.total, line.counts) for line in coverage.lines("level")}
    assert lines == {"市本级": (1, [1, 0]), "兴宾区": (2, [1, 1]), "合山市": (1, [0, 0]), "合计": (4, [2, 1])}
    assert list(coverage.not_served(kinds.CONSULTATIONS).order_by("pk")) == [experts["xingbin2"], experts["heshan"]]

    page = client_of(city).get(f"/admin/consulting/coverage/?year={YEAR}")
    assert page.status_code == 200
    assert "参与决策咨询" in page.content.decode() and "参加科普活动" in page.content.decode()
    assert [kind.key for kind in page.context["kinds"]] == ["consulting_consultations", "consulting_science"]
    export = client_of(city).get(f"/admin/consulting/coverage/?year={YEAR}&export=xlsx")
    assert export["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("属地", "在库专家（人）", "参与决策咨询（人）", "参与决策咨询（比例）")
    assert rows[-1][:3] == ("合计", 4, 2)
    # A county sees its own experts only.
    county = Coverage(people["xingbin"], YEAR, [kinds.CONSULTATIONS])
    assert [(line.label, line.total, line.counts) for line in county.lines("level")] == [
        ("兴宾区", 2, [1]),
        ("合计", 2, [1]),
    ]


def test_lists_filter_and_search_chinese_text(people):
    experts = people["experts"]
    make_consultation([experts["xingbin"]], level=Level.XINGBIN, matter="糖业转型升级方案", stage="before")
    make_consultation(
        [experts["xingbin2"]],
        level=Level.XINGBIN,
        matter="城区污水处理项目",
        stage="after",
        adoption="adopted",
        adopting_body="兴宾区住建局",
    )
    make_consultation(
        [experts["xingbin"]], level=Level.XINGBIN, matter="去年的咨询", date=datetime.date(YEAR - 1, 5, 1)
    )
    client = client_of(people["xingbin"])

    def listed(query):
        page = client.get(f"/admin/consulting/consultations/?{query}")
        assert page.status_code == 200
        return {row.matter for row in page.context["object_list"]}

    assert listed("stage=after") == {"城区污水处理项目"}
    assert listed("adoption=adopted") == {"城区污水处理项目"}
    assert listed("q=转型") == {"糖业转型升级方案"}
    assert listed("q=住建") == {"城区污水处理项目"}
    assert listed("q=兴宾糖某") == {"城区污水处理项目"}
    assert listed(f"year={YEAR - 1}") == {"去年的咨询"}
    assert listed("talent_team=highly_skilled") == {"城区污水处理项目"}

    make_group([experts["xingbin"]], experts["xingbin"], level=Level.XINGBIN, name="林下经济小组")
    page = client.get("/admin/consulting/groups/?q=林下").content.decode()
    assert "林下经济小组" in page and "兴宾蔗某" in page


def test_exports_write_the_lists_in_chinese(people):
    experts = people["experts"]
    make_consultation(
        [experts["xingbin"], experts["xingbin2"]],
        level=Level.XINGBIN,
        matter="糖业转型升级方案",
        stage="during",
        adoption="adopted",
        adopting_body="市工信局",
    )
    city_group = make_group([experts["city"], experts["xingbin"]], experts["city"], level=Level.CITY)
    client = client_of(people["xingbin"])
    response = client.get("/admin/consulting/consultations/?export=xlsx")
    assert response["Content-Type"] == XLSX
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("日期", "咨询事项", "咨询阶段", "咨询意见", "采纳情况", "采纳单位", "登记属地", "专家")
    assert rows[1][1:] == (
        "糖业转型升级方案",
        "事中施行",
        "建议延长产业链",
        "已采纳",
        "市工信局",
        "兴宾区",
        "兴宾糖某、兴宾蔗某",
    )

    # A county reading the city's group: its own expert only, the city's lead not named.
    rows = list(
        load_workbook(
            io.BytesIO(b"".join(client.get("/admin/consulting/groups/?export=xlsx").streaming_content))
        ).active.iter_rows(values_only=True)
    )
    assert rows[0] == ("成立日期", "小组名称", "产业领域", "组长", "备注", "登记属地", "专家")
    assert rows[1][1:] == ("糖业产业发展小组", "糖业", "（其他属地的专家）", None, "市本级", "兴宾蔗某")
    city_rows = client_of(people["city"]).get("/admin/consulting/groups/?export=xlsx")
    assert (
        list(load_workbook(io.BytesIO(b"".join(city_rows.streaming_content))).active.iter_rows(values_only=True))[1][3]
        == "市农某"
    )
    page = client.get(f"/admin/consulting/groups/inspect/{city_group.pk}/").content.decode()
    assert "（其他属地的专家）" in page and "市农某" not in page


def test_county_isolation_with_crafted_ids(people):
    experts = people["experts"]
    group = make_group([experts["xingbin"]], experts["xingbin"], level=Level.XINGBIN)
    consultation = make_consultation([experts["xingbin"]], level=Level.XINGBIN)
    science = make_activity(
        PopularScience,
        [experts["xingbin"]],
        level=Level.XINGBIN,
        topic="科普",
        place="学校",
        audience="学生",
        audience_size=10,
    )
    city_consultation = make_consultation([experts["xingbin"], experts["city"]], level=Level.CITY, matter="市级咨询")
    heshan = client_of(people["heshan"])
    for prefix, record in (("groups", group), ("consultations", consultation), ("science", science)):
        for action in ("inspect", "edit", "delete", "history"):
            url = f"/admin/consulting/{prefix}/{action}/{record.pk}/"
            assert heshan.get(url).status_code == 404, url
        assert heshan.post(f"/admin/consulting/{prefix}/delete/{record.pk}/").status_code == 404
        listed = heshan.get(f"/admin/consulting/{prefix}/").context["object_list"]
        assert record not in listed
    assert Consultation.objects.filter(pk=consultation.pk).exists()

    xingbin = client_of(people["xingbin"])
    page = xingbin.get(f"/admin/consulting/consultations/inspect/{city_consultation.pk}/").content.decode()
    assert "兴宾蔗某" in page and "市农某" not in page and "另有 1 位其他属地的专家" in page
    edit = xingbin.get(f"/admin/consulting/consultations/edit/{city_consultation.pk}/")
    assert edit.status_code == 302 and edit["Location"] == "/admin/"
    # Another level's activity is read, never changed: a crafted POST leaves it as it was.
    xingbin.post(
        f"/admin/consulting/consultations/edit/{city_consultation.pk}/", consultation_data([experts["xingbin"]])
    )
    assert Consultation.objects.get(pk=city_consultation.pk).matter == "市级咨询"


def test_the_chapter_pages_answer(people):
    make_consultation([people["experts"]["xingbin"]], level=Level.XINGBIN)
    client = client_of(people["xingbin"])
    page = client.get("/admin/consulting/").content.decode()
    for label in ("产业发展小组", "决策咨询", "科普活动"):
        assert label in page
    for url in (
        "/admin/consulting/groups/new/",
        "/admin/consulting/consultations/new/",
        "/admin/consulting/science/new/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_demo_has_each_kind_across_levels_and_years_and_builds_once(demo_site):
    from base.demo import DemoContext
    from consulting import demo

    counts = [model.objects.count() for model in (IndustryGroup, Consultation, PopularScience)]
    assert counts == [len(demo.GROUPS), len(demo.CONSULTATIONS), len(demo.SCIENCE)]
    for model in (IndustryGroup, Consultation, PopularScience):
        assert model.objects.values("level").distinct().count() >= 3, model
        assert {row.date.year for row in model.objects.all()} == {YEAR, YEAR - 1}, model
    for group in IndustryGroup.objects.all():
        assert group.attendances.filter(expert=group.lead).exists()
    asked = Consultation.objects.get(matter="来宾市糖业高质量发展三年行动方案")
    members = IndustryGroup.objects.get(name="糖业产业发展小组").attendances.values_list("expert_id", flat=True)
    assert set(members) <= set(asked.attendances.values_list("expert_id", flat=True))
    demo.build(DemoContext(stdout=io.StringIO()))
    assert [model.objects.count() for model in (IndustryGroup, Consultation, PopularScience)] == counts


def test_a_members_subject_access_export_does_not_name_another_lead(people):
    experts = people["experts"]
    make_group([experts["xingbin"], experts["xingbin2"]], experts["xingbin"], level=Level.XINGBIN)
    client = client_of(people["city"])

    def group_sheet(expert):
        response = client.get(f"/admin/experts/subject-access/{expert.pk}/")
        rows = [
            tuple(row) for row in load_workbook(io.BytesIO(b"".join(response.streaming_content)))["产业发展小组"].values
        ]
        return dict(zip(rows[0], rows[1], strict=False))

    assert group_sheet(experts["xingbin2"])["组长"] == "其他专家"
    assert group_sheet(experts["xingbin"])["组长"] == "本人"
