"""The workbench (工作台) on the admin home: each figure against a hand-built world, what each role
sees, the lists the numbers lead to, the number of queries as the data grows, and the SVG charts."""

import datetime
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from base import generations
from care.models import CheckupRound
from experts.models import RemovalReason, TalentTeam, UnitType
from experts.services import confirm_reviews, remove_expert
from intake.models import Channel
from liaison.models import ContactKind, MustVisit, VisitReason
from staff.levels import Level
from staff.models import StaffProfile
from staff.roles import DEPARTMENT_USERS
from workbench import figures
from workbench.charts import BarChart, Series
from workbench.panels import PANELS, CountiesPanel, ExpertsPanel, LiaisonPanel

from .experts_builders import make_expert, make_staff, make_unit
from .intake_builders import new_item
from .liaison_builders import contact, make_leader, make_leader_user, make_liaison, make_login, pair, report
from .programme_builders import make_activity

YEAR = timezone.localdate().year
TODAY = timezone.localdate()
LAST_YEAR = datetime.date(YEAR - 1, 6, 1)
PT, PARTY, SKILLED = TalentTeam.PROFESSIONAL_TECHNICAL, TalentTeam.PARTY_GOVERNMENT, TalentTeam.HIGHLY_SKILLED


def add_experts(world, number):
    """`number` more of each kind of row the figures count, in 兴宾区 and 合山市 (a tenfold growth)."""
    for index in range(number):
        a = make_expert(world["xb_user"], world["xb_unit"], talent_team=PT)
        b = make_expert(world["hs_user"], world["hs_unit"], talent_team=SKILLED)
        leader = make_leader(f"新领导{world['grown']}-{index}", Level.XINGBIN, post="副区长")
        pair(leader, a)
        contact([leader], [a, b], kind=ContactKind.ONLINE, level=Level.XINGBIN)
        make_activity(CheckupRound, [a, b], level=Level.XINGBIN, hospital="兴宾区人民医院")
        new_item(world["xb_user"], channel=Channel.LETTER, level=Level.XINGBIN)
    world["grown"] += 1


@pytest.fixture
def world(db):
    """Three levels: 兴宾区 (three experts, one contacted, one at a checkup, one reviewed), 合山市 (two,
    none contacted) and the city (one, contacted); leaders under quota in 兴宾区 and 合山市."""
    w = {"grown": 0}
    w["city_user"] = make_staff("wb_city", Level.CITY)
    w["xb_user"] = make_staff("wb_xingbin", Level.XINGBIN)
    w["hs_user"] = make_staff("wb_heshan", Level.HESHAN)
    w["city_unit"] = make_unit("来宾市人民医院", Level.CITY)
    w["xb_unit"] = make_unit("兴宾区高级中学", Level.XINGBIN, UnitType.SCHOOL)
    w["xb_unit2"] = make_unit("兴宾区人民医院", Level.XINGBIN)
    w["hs_unit"] = make_unit("合山市人民医院", Level.HESHAN)
    xb, hs = w["xb_user"], w["hs_user"]
    w["a"] = make_expert(xb, w["xb_unit"], talent_team=PT)
    w["b"] = make_expert(xb, w["xb_unit"], talent_team=PT)
    w["c"] = make_expert(xb, w["xb_unit2"], talent_team=PARTY)
    w["d"] = make_expert(hs, w["hs_unit"], talent_team=SKILLED)
    w["e"] = make_expert(hs, w["hs_unit"], talent_team=SKILLED)
    w["f"] = make_expert(w["city_user"], w["city_unit"], talent_team=PARTY)
    w["xb_leader"] = make_leader("韦某明", Level.XINGBIN, post="区委书记")
    w["xb_idle"] = make_leader("覃某华", Level.XINGBIN, post="区长")  # no pairing: under quota
    w["hs_idle"] = make_leader("黄某林", Level.HESHAN, post="市长")  # under quota
    w["city_leader"] = make_leader("蓝某军", Level.CITY)
    pair(w["xb_leader"], w["a"])
    pair(w["xb_leader"], w["b"])
    pair(w["city_leader"], w["f"])
    pair(w["city_leader"], w["d"])
    w["leader_user"] = make_leader_user("wb_leader", w["xb_leader"])
    contact([w["xb_leader"]], [w["a"]], kind=ContactKind.SYMPOSIUM, level=Level.XINGBIN)
    contact([w["city_leader"]], [w["f"]], kind=ContactKind.HOLIDAY_GREETING, level=Level.CITY)
    contact([w["xb_leader"]], [w["b"]], date=LAST_YEAR, level=Level.XINGBIN)  # another year: not counted
    make_activity(CheckupRound, [w["a"]], level=Level.XINGBIN, hospital="兴宾区人民医院")
    confirm_reviews([w["a"]], year=YEAR, user=xb)
    new_item(xb, channel=Channel.HOTLINE, level=Level.XINGBIN)
    w["liaison_user"] = make_liaison("wb_liaison", w["xb_unit2"])
    w["dept_user"] = make_login("wb_dept", DEPARTMENT_USERS)
    return w


def panel_context(panel_class, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return panel_class(request).get_context_data({})


def listed(client, link):
    """How many rows the list at `link` shows in all (its paginator's count)."""
    response = client.get(link)
    assert response.status_code == 200, link
    return response.context["page_obj"].paginator.count


# Each figure against the world ---------------------------------------------------------------


def test_the_figures_of_a_county_and_of_the_city(world):
    xb, city = world["xb_user"], world["city_user"]
    assert figures.active_experts(xb, YEAR).by_level == {Level.XINGBIN: 3}
    assert figures.active_experts(city, YEAR).by_level == {Level.XINGBIN: 3, Level.HESHAN: 2, Level.CITY: 1}
    teams = {team.label: team.total for team in figures.experts_by_team(xb, YEAR)}
    assert teams[PT.label] == 2 and teams[PARTY.label] == 1 and teams[SKILLED.label] == 0
    assert figures.team_coverage(figures.experts_by_team(xb, YEAR)) == (
        2,
        [label for value, label in TalentTeam.choices if value not in (PT, PARTY)],
    )
    assert figures.team_coverage(figures.experts_by_team(city, YEAR))[0] == 3
    categories = figures.experts_by_category(xb, YEAR)
    assert [category.total for category in categories] == [3]  # the builder's one category
    assert figures.experts_without_contact(xb, YEAR).by_level == {Level.XINGBIN: 2}
    assert figures.experts_without_contact(city, YEAR).by_level == {Level.XINGBIN: 2, Level.HESHAN: 2}
    assert figures.leaders_under_quota(xb).by_level == {Level.XINGBIN: 1}
    assert figures.leaders_under_quota(city).by_level == {Level.XINGBIN: 1, Level.HESHAN: 1}
    activities = figures.six_activity_coverage(city, YEAR)
    assert activities.experts.total == 6 and activities.complete.total == 0
    assert dict(activities.per_activity) == {
        **{activity.label: 0 for activity in figures.SIX_ACTIVITIES},
        ContactKind.SYMPOSIUM.label: 1,
        ContactKind.HOLIDAY_GREETING.label: 1,
    }
    checkups, recuperation = figures.care_coverage(xb, YEAR)
    assert (checkups.served.total, checkups.not_served.total) == (1, 2)
    assert (recuperation.served.total, recuperation.not_served.total) == (0, 3)
    review = figures.review_progress(xb, YEAR)
    assert (review.reviewed.total, review.unreviewed.total) == (1, 2)
    assert [count for _, count, _ in figures.contacts_per_month(xb, YEAR)][TODAY.month - 1] == 1
    channels = dict(figures.intake_per_month(xb, YEAR))
    assert [count for _, count, _ in channels[Channel.HOTLINE.label]][TODAY.month - 1] == 1
    assert sum(count for rows in channels.values() for _, count, _ in rows) == 1


def test_must_visits_due_this_month_and_overdue(world):
    """On 20 September 2026 兴宾区's leader owes his two school experts (paired since 5 January) the
    visits of 春节, 清明节, 劳动节 and 端午节 (overdue), and of 教师节 and 中秋节 (due in September;
    国庆节's window is open but its day is in October)."""
    xb, city = world["xb_user"], world["city_user"]
    today = datetime.date(2026, 9, 20)
    due, overdue = figures.must_visits(xb, today)
    assert (due.by_level, overdue.by_level) == ({Level.XINGBIN: 4}, {Level.XINGBIN: 8})
    # A holiday visit to a on 12 September does both of September's visits to a.
    contact([world["xb_leader"]], [world["a"]], kind=ContactKind.HOLIDAY_VISIT, date=datetime.date(2026, 9, 12))
    # Must-visits of accepted reports: one due on 28 September, one overdue since 1 September.
    liaison = make_liaison("wb_reporter", world["xb_unit"])
    for due_on in (datetime.date(2026, 9, 28), datetime.date(2026, 9, 1)):
        MustVisit.objects.create(
            leader=world["xb_leader"],
            expert=world["b"],
            reason=VisitReason.ACHIEVEMENT,
            report=report(liaison, world["b"]),
            due_on=due_on,
        )
    due, overdue = figures.must_visits(xb, today)  # read again: the cached counts were retired
    assert (due.by_level, overdue.by_level) == ({Level.XINGBIN: 3}, {Level.XINGBIN: 9})
    due, overdue = figures.must_visits(city, today)
    assert due.count(Level.XINGBIN) == 3 and overdue.count(Level.XINGBIN) == 9
    assert due.count(Level.CITY) > 0 and Level.HESHAN not in due.by_level  # 合山市's leader has no pairing
    assert figures.must_visits(world["leader_user"], today) is None  # a leader's are in 今日待办


@pytest.mark.parametrize("user", ["city_user", "xb_user"])
def test_the_must_visit_numbers_lead_to_the_calendar(client, world, user):
    liaison = make_liaison("wb_reporter", world["xb_unit"])
    for leader, expert in ((world["xb_leader"], world["a"]), (world["city_leader"], world["d"])):
        filed = report(liaison, expert)
        MustVisit.objects.create(
            leader=leader, expert=expert, reason=VisitReason.ACHIEVEMENT, report=filed, due_on=TODAY
        )
    client.force_login(world[user])
    due, overdue = figures.must_visits(world[user], TODAY)
    assert due.total > 0 and overdue.total > 0
    for level in [None, Level.XINGBIN, Level.CITY] if user == "city_user" else [None]:
        calendar = client.get(due.link(level))
        assert calendar.context["due_this_month"] == (due.count(level) if level else due.total)
        assert calendar.context["leader_count"] > 0
        overdue_rows = client.get(overdue.link(level)).context
        assert overdue_rows["totals"]["overdue"] == (overdue.count(level) if level else overdue.total)
    html = client.get("/admin/").content.decode()
    assert escape(due.link()) in html and escape(overdue.link()) in html


def test_a_leader_counts_their_own_pairings(world):
    leader = world["leader_user"]
    assert figures.active_pairings(leader).total == 2
    assert figures.pairings_without_contact(leader, YEAR).total == 1  # b: contacted last year only
    teams = {team.label: team.total for team in figures.experts_by_team(leader, YEAR)}
    assert teams[PT.label] == 2 and sum(teams.values()) == 2
    assert all(team.link() == "" for team in figures.experts_by_team(leader, YEAR))  # no expert list for leaders


# What each role sees ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "shown"),
    [
        (
            "city_user",
            {"workbench_experts", "workbench_liaison", "workbench_care", "workbench_intake", "workbench_counties"},
        ),
        ("xb_user", {"workbench_experts", "workbench_liaison", "workbench_care", "workbench_intake"}),
        ("leader_user", {"workbench_experts", "workbench_liaison"}),
        ("liaison_user", {"workbench_experts"}),
        ("dept_user", set()),
    ],
)
def test_each_role_sees_its_panels(world, user, shown):
    assert {panel.name for panel in PANELS if panel_context(panel, world[user])["shown"]} == shown


def test_each_role_counts_only_its_own_rows(world):
    experts = {
        user: panel_context(ExpertsPanel, world[user])["active"].total
        for user in ("city_user", "xb_user", "hs_user", "leader_user", "liaison_user")
    }
    assert experts == {"city_user": 6, "xb_user": 3, "hs_user": 2, "leader_user": 2, "liaison_user": 1}
    liaison = {user: panel_context(LiaisonPanel, world[user]) for user in ("xb_user", "hs_user", "leader_user")}
    assert liaison["xb_user"]["uncontacted"].total == 2 and liaison["xb_user"]["under_quota"].total == 1
    assert liaison["hs_user"]["uncontacted"].total == 2 and liaison["hs_user"]["under_quota"].total == 1
    assert liaison["leader_user"]["uncontacted"].total == 1 and liaison["leader_user"]["activities"] is None
    assert [value for value, _ in liaison["hs_user"]["chart"].table_rows()[TODAY.month - 1][1]] == [0]


def test_another_county_never_sees_this_countys_numbers(client, world):
    client.force_login(world["hs_user"])
    html = client.get("/admin/").content.decode()
    assert "workbench-experts" in html and "workbench-counties" not in html
    assert "兴宾区" not in html  # no level of another county, as a name or in a link
    assert f"level={Level.XINGBIN}" not in html
    assert panel_context(ExpertsPanel, world["hs_user"])["levels"] == []


def test_the_city_office_sees_each_county_beside_the_others(world):
    context = panel_context(CountiesPanel, world["city_user"])
    rows = dict(context["rows"])
    labels = [column.label for column in context["columns"]]
    xingbin = dict(zip(labels, [value for value, _ in rows[Level.XINGBIN.label]], strict=True))
    assert xingbin["在库专家"] == 3 and xingbin["全年无联系记录的专家"] == 2 and xingbin["结对少于名额的领导"] == 1
    assert xingbin["未参加集中体检"] == 2
    assert [value for value, _ in context["totals"]][:2] == [6, 4]
    shares = dict(zip(context["chart"].categories, context["chart"].series[0].values, strict=True))
    assert shares[Level.CITY.label] == 100 and shares[Level.XINGBIN.label] == 33.3 and shares[Level.HESHAN.label] == 0


# The lists behind the numbers --------------------------------------------------------------------


def linked_figures(user, year):
    teams = figures.experts_by_team(user, year)
    care = figures.care_coverage(user, year)
    review = figures.review_progress(user, year)
    return [
        figures.active_experts(user, year),
        *teams,
        *figures.experts_by_category(user, year),
        figures.experts_without_contact(user, year),
        figures.leaders_under_quota(user),
        *(service.not_served for service in care),
        review.reviewed,
        review.unreviewed,
    ]


@pytest.mark.parametrize("user", ["city_user", "xb_user"])
def test_each_number_leads_to_a_list_of_that_many_rows(client, world, user):
    client.force_login(world[user])
    checked = 0
    for figure in linked_figures(world[user], YEAR):
        assert figure.link(), figure.label
        assert listed(client, figure.link()) == figure.total, figure.label
        checked += 1
        if user == "city_user" and figure.level_param:
            for level in (Level.XINGBIN, Level.HESHAN):
                assert listed(client, figure.link(level)) == figure.count(level), (figure.label, level)
    assert checked >= 12


def test_a_contact_outside_the_six_activities_is_still_a_contact(client, world):
    """全年无联系记录 is counted from the year's activities, which also name experts whose only contact
    is none of the six (a field visit); the number and its list agree."""
    contact([world["xb_leader"]], [world["c"]], kind=ContactKind.FIELD_VISIT, level=Level.XINGBIN)
    uncontacted = figures.experts_without_contact(world["xb_user"], YEAR)
    assert uncontacted.by_level == {Level.XINGBIN: 1}  # b alone: contacted last year only
    client.force_login(world["xb_user"])
    assert listed(client, uncontacted.link()) == 1


def test_a_leaders_numbers_lead_to_their_pairings(client, world):
    client.force_login(world["leader_user"])
    for figure in (
        figures.active_pairings(world["leader_user"]),
        figures.pairings_without_contact(world["leader_user"], YEAR),
    ):
        assert listed(client, figure.link()) == figure.total


def test_the_chart_tables_link_each_month_to_its_rows(client, world):
    client.force_login(world["xb_user"])
    _, count, link = figures.contacts_per_month(world["xb_user"], YEAR)[TODAY.month - 1]
    assert count == 1 and listed(client, link) == 1
    rows = dict(figures.intake_per_month(world["xb_user"], YEAR))[Channel.HOTLINE.label]
    _, count, link = rows[TODAY.month - 1]
    assert count == 1 and listed(client, link) == 1


# Queries ----------------------------------------------------------------------------------------


def count_queries(client):
    client.get("/admin/")  # the year's activities and served experts come into the cache
    for key in (figures.EXPERTS_GENERATION, figures.INTAKE_GENERATION):
        generations.renew(key)  # every kept figure is counted again, as after a change
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["city_user", "xb_user", "leader_user"])
def test_the_dashboard_reads_as_many_queries_with_ten_times_the_data(client, world, user):
    client.force_login(world[user])
    add_experts(world, 1)
    few = count_queries(client)
    add_experts(world, 10)
    assert count_queries(client) == few


# Charts -----------------------------------------------------------------------------------------


def test_a_chart_names_itself_and_escapes_its_labels():
    chart = BarChart(
        "test-chart",
        '专家 <script>alert("x")</script>',
        ["市本级", "A&B"],
        [Series("党政人才", [3, 1]), Series('"高技能"', [1, 0])],
        unit="人",
    )
    svg = str(chart.svg())
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img" aria-labelledby="test-chart-title test-chart-desc"' in svg
    assert f'<title id="test-chart-title">{escape(chart.title)}</title>' in svg
    assert "<script>" not in svg and "A&amp;B" in svg and "&quot;高技能&quot;" in svg
    assert '<desc id="test-chart-desc">市本级 4人；A&amp;B 1人</desc>' in svg
    assert "<title>市本级，党政人才：3人</title>" in svg


def test_the_bars_are_as_long_as_their_numbers():
    chart = BarChart("c", "t", ["甲", "乙"], [Series("s", [10, 5])])
    widths = [float(width) for width in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', str(chart.svg()))]
    assert widths[0] == 2 * widths[1] > 0
    share = BarChart("c", "t", ["甲"], [Series("s", [50])], maximum=100)
    assert float(re.search(r'width="([\d.]+)" height', str(share.svg())).group(1)) == widths[0] / 2
    assert "<rect" not in str(BarChart("c", "t", ["甲"], [Series("s", [0])]).svg())  # nothing to draw for 0


def test_the_table_beside_a_chart_holds_the_same_numbers():
    chart = BarChart("c", "t", ["1月", "2月"], [Series("网上留言", [2, 0], ["/a", "/b"]), Series("来访", [1, 4])])
    assert chart.table_rows() == [("1月", [(2, "/a"), (1, "")], 3), ("2月", [(0, "/b"), (4, "")], 4)]


# In a browser -----------------------------------------------------------------------------------


# Kept figures -----------------------------------------------------------------------------------


def dashboard_figure(user, function, *args):
    """`function`'s figure as a new dashboard request reads it (from the shared cache once kept)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    return LiaisonPanel(request).figure(function, *args)


def test_a_second_visit_reads_the_figures_from_the_cache(client, world):
    city = world["city_user"]
    kept = [function for function in vars(figures).values() if hasattr(function, "generations")]
    with CaptureQueriesContext(connection) as counting:
        for function in kept:
            function(city, *((YEAR,) if "year" in function.__code__.co_varnames[:2] else ()))
    counted_tables = ('"experts_expert"', '"liaison_', '"intake_intakeitem"', '"care_')  # not the user's scope
    figure_queries = {query["sql"] for query in counting if any(table in query["sql"] for table in counted_tables)}
    client.force_login(city)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/admin/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/admin/").status_code == 200
    assert figure_queries & {query["sql"] for query in first}  # the first visit counted them
    assert not figure_queries & {query["sql"] for query in second}
    assert len(second) < len(first)


def remove(world):
    remove_expert(world["b"], date=TODAY, reason=RemovalReason.OTHER, basis="调离", user=world["xb_user"])


def move_to_the_city(world):
    StaffProfile.objects.filter(user=world["xb_user"]).update(level=Level.CITY)  # no signal: the scope is in the key
    world["xb_user"] = type(world["xb_user"]).objects.get(pk=world["xb_user"].pk)


def tie_to_a_second_unit(world):
    world["xb_unit"].liaisons.add(world["liaison_user"])


def drop_a_category(world):
    world["a"].categories.clear()


CHANGES = [
    # (change, figure, its arguments, what the figure's total for 兴宾区's office was and is after it)
    (lambda w: contact([w["xb_leader"]], [w["b"]], level=Level.XINGBIN), "experts_without_contact", (YEAR,), 2, 1),
    (lambda w: make_expert(w["xb_user"], w["xb_unit"]), "active_experts", (YEAR,), 3, 4),
    (remove, "active_experts", (YEAR,), 3, 2),
    (lambda w: confirm_reviews([w["b"]], year=YEAR, user=w["xb_user"]), "review_progress", (YEAR,), 1, 2),
    (drop_a_category, "experts_by_category", (YEAR,), 3, 2),
    (lambda w: make_leader("新领导", Level.XINGBIN, post="副区长"), "leaders_under_quota", (), 1, 2),
    (
        lambda w: make_activity(CheckupRound, [w["b"]], level=Level.XINGBIN, hospital="兴宾区人民医院"),
        "care_coverage",
        (YEAR,),
        1,
        2,
    ),
    (lambda w: new_item(w["xb_user"], channel=Channel.LETTER, level=Level.XINGBIN), "intake_per_month", (YEAR,), 1, 2),
    (lambda w: contact([w["xb_leader"]], [w["c"]], level=Level.XINGBIN), "contacts_per_month", (YEAR,), 1, 2),
    (move_to_the_city, "active_experts", (YEAR,), 3, 6),
]


def total(name, figure):
    """A kept figure's total, whatever its shape."""
    if name == "review_progress":
        return figure.reviewed.total
    if name == "experts_by_category":
        return sum(category.total for category in figure)
    if name == "care_coverage":
        return figure[0].served.total
    if name == "intake_per_month":
        return sum(count for _, rows in figure for _, count, _ in rows)
    if name == "contacts_per_month":
        return sum(count for _, count, _ in figure)
    return figure.total


@pytest.mark.parametrize(("change", "name", "args", "before", "after"), CHANGES)
def test_a_change_counts_the_kept_figure_again(world, change, name, args, before, after):
    function = getattr(figures, name)
    assert total(name, dashboard_figure(world["xb_user"], function, *args)) == before
    assert total(name, dashboard_figure(world["xb_user"], function, *args)) == before  # now from the cache
    change(world)
    assert total(name, dashboard_figure(world["xb_user"], function, *args)) == after


def test_a_leaders_new_pairing_is_counted_at_once(world):
    leader = world["leader_user"]
    assert dashboard_figure(leader, figures.pairings_without_contact, YEAR).total == 1  # b
    pair(world["xb_leader"], world["c"])
    assert dashboard_figure(leader, figures.pairings_without_contact, YEAR).total == 2


def test_a_unit_liaisons_new_unit_is_counted_at_once(world):
    liaison = world["liaison_user"]
    assert dashboard_figure(liaison, figures.active_experts, YEAR).total == 1  # 兴宾区人民医院's one expert
    tie_to_a_second_unit(world)
    liaison = type(liaison).objects.get(pk=liaison.pk)  # a new request's user
    assert dashboard_figure(liaison, figures.active_experts, YEAR).total == 3
