"""The publicity chapter (宣传报道, /admin/publicity/): talk tours and special reports featuring
experts, linked to the public spotlight article; scope, lists and the yearly coverage."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from programme.coverage import Coverage
from programme.forms import EXPERT_REFUSED
from publicity import kinds
from publicity.models import PublicityActivity
from spotlight.models import SpecialColumn, SpotlightArticlePage
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity
from .public_builders import build_sections

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


@pytest.fixture
def people():
    root = make_superuser()
    units = {level: make_unit(f"{level.label}人民医院", level) for level in (Level.CITY, Level.XINGBIN, Level.HESHAN)}
    experts = {
        "city": make_expert(root, units[Level.CITY], name="市医某"),
        "xingbin": make_expert(root, units[Level.XINGBIN], name="兴宾医某"),
        "xingbin2": make_expert(root, units[Level.XINGBIN], name="兴宾护某"),
        "heshan": make_expert(root, units[Level.HESHAN], name="合山医某"),
    }
    return {
        "root": root,
        "city": make_staff("city", Level.CITY),
        "xingbin": make_staff("xingbin", Level.XINGBIN),
        "heshan": make_staff("heshan", Level.HESHAN),
        "experts": experts,
    }


@pytest.fixture
def article():
    sections = build_sections()
    column = SpecialColumn.objects.create(name="专家风采录", slug="fengcai", description="专栏")
    column.save_revision().publish()
    page = SpotlightArticlePage(
        title="医学博士兴宾医某扎根基层", slug="yixue-boshi", author="本网记者", summary="摘要", body=[]
    )
    page.columns = [column]
    sections["spotlight"].add_child(instance=page)
    page.save_revision().publish()
    return page


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def activity_data(experts, **overrides):
    return {
        "kind": "tour_talk",
        "date": f"{YEAR}-04-01",
        "title": "扎根基层守护健康先进事迹报告会",
        "place": "兴宾区委党校",
        "audience": "全区医务工作者",
        "team": "",
        "article": "",
        "experts": [expert.pk for expert in experts],
        **overrides,
    }


def make_publicity(experts, *, level, title="先进事迹报告会", kind="tour_talk", date=None, **fields):
    return make_activity(
        PublicityActivity, experts, level=level, date=date, title=title, kind=kind, place="报告厅", **fields
    )


def test_a_county_office_records_a_report_linked_to_the_spotlight_article(people, article):
    experts = people["experts"]
    client = client_of(people["xingbin"])
    form = client.get("/admin/publicity/activities/new/")
    assert form.context["form"].fields["article"].widget.target_models == [SpotlightArticlePage]
    data = activity_data(
        [experts["xingbin"], experts["xingbin2"]],
        kind="special_report",
        place="来宾日报",
        team="兴宾区人民医院急救团队",
        article=article.pk,
    )
    response = client.post("/admin/publicity/activities/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    activity = PublicityActivity.objects.get()
    assert (activity.level, activity.article, activity.team) == (Level.XINGBIN, article.page_ptr.specific, data["team"])
    assert activity.attendances.count() == 2

    page = client.get(response["Location"]).content.decode()
    assert f'<a href="{article.url}">医学博士兴宾医某扎根基层</a>（网站公开页面）' in page
    article.unpublish()
    page = client.get(response["Location"]).content.decode()
    assert "医学博士兴宾医某扎根基层（未发布）" in page and f'href="{article.url}"' not in page
    # The article's page going away leaves the record, without its link.
    article.delete()
    activity.refresh_from_db()
    assert activity.article is None
    assert client.get(response["Location"]).status_code == 200


def test_the_page_chooser_offers_spotlight_articles_to_the_office(people, article):
    response = client_of(people["xingbin"]).get("/admin/choose-page/", {"page_type": "spotlight.spotlightarticlepage"})
    assert response.status_code == 200
    assert "医学博士兴宾医某扎根基层" in response.json()["html"]


def test_another_countys_expert_is_refused_by_crafted_id(people):
    client = client_of(people["xingbin"])
    response = client.post("/admin/publicity/activities/new/", activity_data([people["experts"]["heshan"]]))
    assert response.status_code == 200
    assert EXPERT_REFUSED in response.context["form"].errors["experts"]
    response = client.post(
        "/admin/publicity/activities/new/", activity_data([people["experts"]["xingbin"]], article=999999)
    )
    assert response.status_code == 200 and "article" in response.context["form"].errors
    assert not PublicityActivity.objects.exists()


def test_the_yearly_coverage_counts_the_experts_featured(people):
    experts = people["experts"]
    make_publicity([experts["xingbin"], experts["city"]], level=Level.CITY, date=datetime.date(YEAR, 3, 1))
    make_publicity([experts["xingbin"]], level=Level.XINGBIN, kind="special_report", date=datetime.date(YEAR, 5, 1))
    make_publicity([experts["heshan"]], level=Level.HESHAN, date=datetime.date(YEAR - 1, 5, 1))
    coverage = Coverage(people["city"], YEAR, [kinds.ACTIVITIES])
    lines = {line.label: (line.total, line.counts) for line in coverage.lines("level")}
    assert lines == {"市本级": (1, [1]), "兴宾区": (2, [1]), "合山市": (1, [0]), "合计": (4, [2])}
    page = client_of(people["xingbin"]).get(f"/admin/publicity/coverage/?year={YEAR}")
    assert page.status_code == 200 and "被宣传报道" in page.content.decode()
    assert [(line.label, line.total, line.counts) for line in page.context["by_level"]] == [
        ("兴宾区", 2, [1]),
        ("合计", 2, [1]),
    ]


def test_the_list_filters_searches_and_exports(people):
    experts = people["experts"]
    make_publicity([experts["xingbin"]], level=Level.XINGBIN, title="扎根基层先进事迹巡回宣讲")
    make_publicity(
        [experts["xingbin2"]], level=Level.XINGBIN, title="护理团队专题报道", kind="special_report", team="护理团队"
    )
    make_publicity([experts["xingbin"]], level=Level.XINGBIN, title="去年的宣讲", date=datetime.date(YEAR - 1, 6, 1))
    client = client_of(people["xingbin"])

    def listed(query):
        page = client.get(f"/admin/publicity/activities/?{query}")
        assert page.status_code == 200
        return {row.title for row in page.context["object_list"]}

    assert listed("kind=special_report") == {"护理团队专题报道"}
    assert listed("q=巡回") == {"扎根基层先进事迹巡回宣讲"}
    assert listed("q=兴宾护某") == {"护理团队专题报道"}
    assert listed(f"year={YEAR - 1}") == {"去年的宣讲"}
    assert listed("expert_level=heshan") == set()

    response = client.get("/admin/publicity/activities/?kind=special_report&export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("日期", "形式", "标题", "地点或媒体", "受众", "团队", "登记属地", "专家")
    assert rows[1][1:] == ("专题报道", "护理团队专题报道", "报告厅", None, "护理团队", "兴宾区", "兴宾护某")
    assert len(rows) == 2


def test_county_isolation_with_crafted_ids(people):
    experts = people["experts"]
    own = make_publicity([experts["xingbin"]], level=Level.XINGBIN)
    city = make_publicity([experts["xingbin"], experts["city"]], level=Level.CITY, title="市级报告会")
    heshan = client_of(people["heshan"])
    for action in ("inspect", "edit", "delete", "history"):
        for record in (own, city):
            assert heshan.get(f"/admin/publicity/activities/{action}/{record.pk}/").status_code == 404
    assert heshan.post(f"/admin/publicity/activities/delete/{own.pk}/").status_code == 404
    assert PublicityActivity.objects.filter(pk=own.pk).exists()
    assert not heshan.get("/admin/publicity/activities/").context["object_list"]

    xingbin = client_of(people["xingbin"])
    page = xingbin.get(f"/admin/publicity/activities/inspect/{city.pk}/").content.decode()
    assert "兴宾医某" in page and "市医某" not in page
    assert xingbin.get(f"/admin/publicity/activities/edit/{city.pk}/")["Location"] == "/admin/"
    assert xingbin.post(f"/admin/publicity/activities/delete/{city.pk}/")["Location"] == "/admin/"
    assert PublicityActivity.objects.filter(pk=city.pk).exists()
    assert xingbin.get("/admin/publicity/").status_code == 200


def test_the_demo_links_spotlight_articles_and_builds_once(demo_site):
    from base.demo import DemoContext
    from publicity import demo

    assert PublicityActivity.objects.count() == len(demo.ACTIVITIES)
    assert PublicityActivity.objects.values("level").distinct().count() >= 3
    assert {row.date.year for row in PublicityActivity.objects.all()} == {YEAR, YEAR - 1}
    linked = PublicityActivity.objects.get(title="产业发展小组专家为糖业转型升级献策")
    assert linked.article.title == "产业发展小组专家为糖业转型升级献策" and linked.article.live
    demo.build(DemoContext(stdout=io.StringIO()))
    assert PublicityActivity.objects.count() == len(demo.ACTIVITIES)
