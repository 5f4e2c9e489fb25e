"""Leaders, their offices and pairings in the admin: the quota (每名领导至少直接联系2名专家人才) in the
list and on its own screen, each form's refusals next to the field, who reaches which route, and
lists that cost the same number of queries as they grow."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experts.services import remove_expert
from liaison.models import Body, Leader, LeaderLogEntry, LeaderOffice, LeaderOfficeLogEntry, Pairing, PairingLogEntry
from liaison.services import end_pairing
from staff.levels import Level
from staff.roles import LEADER_OFFICES, LEADERS

from .experts_builders import make_expert, make_staff, make_unit
from .liaison_builders import (
    admin_field_error,
    make_leader,
    make_leader_user,
    make_liaison,
    make_login,
    make_office_user,
    pair,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    """象州县 has a leader under quota (one pairing) and one at quota; the city a leader at quota;
    a leader who left; logins of each role."""
    city = make_staff("city", Level.CITY)
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    hospital = make_unit("来宾市人民医院", Level.CITY)
    school = make_unit("象州县中学", Level.XIANGZHOU)
    experts = {
        "city_a": make_expert(city, hospital, name="市专家甲"),
        "city_b": make_expert(city, hospital, name="市专家乙"),
        "county_a": make_expert(county, school, name="县专家甲"),
        "county_b": make_expert(county, school, name="县专家乙"),
        "county_c": make_expert(county, school, name="县专家丙"),
    }
    city_leader = make_leader("覃书记", Level.CITY, Body.PARTY, post="市委书记")
    county_leader = make_leader("蓝县长", Level.XIANGZHOU, Body.GOVERNMENT, post="县长")
    county_secretary = make_leader("黄书记", Level.XIANGZHOU, Body.PARTY, post="县委书记")
    left = make_leader("韦离任", Level.XIANGZHOU, Body.CPPCC, post="原县政协主席", active=False)
    pair(city_leader, experts["city_a"])
    pair(city_leader, experts["county_a"])
    under = pair(county_leader, experts["county_b"])
    pair(county_secretary, experts["county_a"])
    pair(county_secretary, experts["county_b"])
    return {
        "city": city,
        "county": county,
        "other_county": make_staff("wuxuan", Level.WUXUAN),
        "experts": experts,
        "city_leader": city_leader,
        "county_leader": county_leader,
        "county_secretary": county_secretary,
        "left": left,
        "under_pairing": under,
        "leader_user": make_leader_user("qin", city_leader),
        "office_user": make_office_user("shiweiban", Body.PARTY, Level.CITY),
        "liaison": make_liaison("lianluoyuan", school),
        "hospital": hospital,
        "school": school,
    }


def denied(response):
    """Wagtail answers a refused admin view with a redirect to the dashboard (or a 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def rows(response):
    return {str(row) for row in response.context["object_list"]}


# The quota ---------------------------------------------------------------------------------


def test_the_leader_list_warns_of_a_leader_under_quota_in_words(client, world):
    client.force_login(world["county"])
    response = client.get("/admin/liaison/leaders/")
    counts = {leader.name: leader.active_pairings for leader in response.context["object_list"]}
    assert counts == {"蓝县长": 1, "黄书记": 2, "韦离任": 0}  # the county's leaders only
    table = re.search(r'<table class="listing.*?</table>', response.content.decode(), re.S).group(0)
    # One warning: 蓝县长's; a leader who left is not under quota.
    assert table.count("少于2名") == 1
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*蓝县长(?:(?!</tr>).)*</tr>", table, re.S).group(0)
    assert "少于2名" in row
    assert 'aria-hidden="true"' in row  # the icon is decoration; the words carry the warning
    assert rows(client.get("/admin/liaison/leaders/?quota=under")) == {"蓝县长（县长）"}


def test_ending_a_pairing_puts_a_leader_under_quota(client, world):
    client.force_login(world["city"])
    assert "覃书记（市委书记）" not in rows(client.get("/admin/liaison/leaders/?quota=under"))
    pairing = Pairing.objects.get(leader=world["city_leader"], expert=world["experts"]["city_a"])
    client.post(f"/admin/liaison/pairings/end/{pairing.pk}/", {"ended_on": TODAY.isoformat(), "note": "职务调整"})
    assert "覃书记（市委书记）" in rows(client.get("/admin/liaison/leaders/?quota=under"))


def test_the_leader_list_filters(client, world):
    client.force_login(world["city"])
    assert rows(client.get("/admin/liaison/leaders/?level=city")) == {"覃书记（市委书记）"}
    assert rows(client.get("/admin/liaison/leaders/?body=party")) == {"覃书记（市委书记）", "黄书记（县委书记）"}
    assert rows(client.get("/admin/liaison/leaders/?active=no")) == {"韦离任（原县政协主席）"}
    assert len(rows(client.get("/admin/liaison/leaders/?active=yes"))) == 3
    assert rows(client.get("/admin/liaison/leaders/?quota=under&level=city")) == set()


def test_the_quota_screen_counts_each_level_and_lists_who_is_under(client, world):
    client.force_login(world["city"])
    response = client.get("/admin/liaison/quota/")
    assert response.status_code == 200
    summary = {row["level"]: (row["active"], row["met"], row["under"]) for row in response.context["rows"]}
    assert summary[Level.CITY] == (1, 1, 0)
    assert summary[Level.XIANGZHOU] == (2, 1, 1)  # the leader who left is not counted
    assert summary[Level.WUXUAN] == (0, 0, 0)  # a county without leaders is shown, not hidden
    assert len(summary) == len(Level)
    assert response.context["total"] == {"active": 3, "met": 2, "under": 1}
    assert [leader.name for leader in response.context["page_obj"]] == ["蓝县长"]
    html = response.content.decode()
    add_url = f"/admin/liaison/pairings/new/?leader={world['county_leader'].pk}"
    assert add_url in html

    response = client.get("/admin/liaison/quota/?level=city")
    assert [row["level"] for row in response.context["rows"]] == [Level.CITY]
    assert not response.context["page_obj"].paginator.count


def test_a_county_sees_only_its_own_quota_whatever_it_asks(client, world):
    client.force_login(world["other_county"])
    for query in ("", "?level=xiangzhou", "?level=city"):
        response = client.get(f"/admin/liaison/quota/{query}")
        assert [row["level"] for row in response.context["rows"]] == [Level.WUXUAN]
        assert not response.context["page_obj"].paginator.count
        assert "蓝县长" not in response.content.decode()
    client.force_login(world["county"])
    response = client.get("/admin/liaison/quota/?level=city")
    assert [row["level"] for row in response.context["rows"]] == [Level.XIANGZHOU]
    assert [leader.name for leader in response.context["page_obj"]] == ["蓝县长"]


def test_a_leaders_office_sees_its_leaders_quota_without_the_add_link(client, world):
    pairing = Pairing.objects.get(leader=world["city_leader"], expert=world["experts"]["city_a"])
    pairing.ended_on = TODAY
    pairing.save()
    client.force_login(world["office_user"])
    response = client.get("/admin/liaison/quota/")
    assert [leader.name for leader in response.context["page_obj"]] == ["覃书记"]
    assert [row["level"] for row in response.context["rows"]] == [Level.CITY]
    assert "/admin/liaison/pairings/new/" not in response.content.decode()


# Leader forms ------------------------------------------------------------------------------


def leader_data(**overrides):
    data = {"name": "莫副县长", "post": "副县长", "body": Body.GOVERNMENT, "level": Level.XIANGZHOU}
    data.update({"active": "on", "user": "", "sort_order": "100", **overrides})
    return data


def test_a_county_office_adds_leaders_of_its_county_only(client, world):
    client.force_login(world["county"])
    form = client.get("/admin/liaison/leaders/new/").context["form"]
    assert [value for value, _ in form.fields["level"].widget.choices if value] == [Level.XIANGZHOU]
    response = client.post("/admin/liaison/leaders/new/", leader_data(level=Level.WUXUAN))
    assert "您只能登记本属地的领导和办公室" in admin_field_error(response, "level")
    assert not Leader.objects.filter(name="莫副县长").exists()

    response = client.post("/admin/liaison/leaders/new/", leader_data())
    assert response.status_code == 302
    leader = Leader.objects.get(name="莫副县长")
    assert leader.level == Level.XIANGZHOU
    assert LeaderLogEntry.objects.filter(leader=leader, action="wagtail.create", user=world["county"]).exists()


def test_a_leader_login_is_an_active_leader_group_user_linked_to_no_other_leader(client, world):
    free = make_login("mo", LEADERS)
    make_login("not_a_leader", LEADER_OFFICES)
    gone = make_login("gone", LEADERS)
    gone.is_active = False
    gone.save()
    client.force_login(world["city"])
    form = client.get("/admin/liaison/leaders/new/").context["form"]
    assert {user.username for user in form.fields["user"].queryset} == {"mo"}  # qin is 覃书记's
    for username in ("qin", "not_a_leader", "gone"):
        user = type(free).objects.get(username=username)
        response = client.post("/admin/liaison/leaders/new/", leader_data(user=user.pk))
        assert "只能选择“领导”组中尚未关联其他领导的在用账号" in admin_field_error(response, "user"), username
    assert not Leader.objects.filter(name="莫副县长").exists()
    assert client.post("/admin/liaison/leaders/new/", leader_data(user=free.pk)).status_code == 302
    assert Leader.objects.get(name="莫副县长").user == free

    # Editing keeps the leader's own login among the choices.
    leader = world["city_leader"]
    response = client.post(
        f"/admin/liaison/leaders/edit/{leader.pk}/",
        leader_data(name=leader.name, post="市委书记", body=leader.body, level=leader.level, user=leader.user_id),
    )
    assert response.status_code == 302


def test_a_leader_with_pairings_keeps_their_level(client, world):
    client.force_login(world["city"])
    leader = world["county_leader"]
    response = client.post(
        f"/admin/liaison/leaders/edit/{leader.pk}/", leader_data(name=leader.name, post="县长", level=Level.WUXUAN)
    )
    assert "该领导已有结对记录，不能更改属地" in admin_field_error(response, "level")
    leader.refresh_from_db()
    assert leader.level == Level.XIANGZHOU


def test_a_leaders_page_lists_active_and_ended_pairings(client, world):
    pairing = world["under_pairing"]
    client.force_login(world["county"])
    client.post(f"/admin/liaison/pairings/end/{pairing.pk}/", {"ended_on": TODAY.isoformat(), "note": "职务调整"})
    pair(world["county_leader"], world["experts"]["county_c"])
    response = client.get(f"/admin/liaison/leaders/inspect/{world['county_leader'].pk}/")
    assert [(p.expert.name, p.is_active) for p in response.context["pairings"]] == [
        ("县专家丙", True),
        ("县专家乙", False),
    ]
    html = response.content.decode()
    assert "职务调整" in html and "少于2名" in html
    assert f"/admin/liaison/pairings/new/?leader={world['county_leader'].pk}" in html


# Offices -----------------------------------------------------------------------------------


def test_office_members_come_from_the_office_group_and_each_body_has_one_office(client, world):
    member = make_login("xianweiban", LEADER_OFFICES)
    stranger = make_login("stranger", LEADERS)
    client.force_login(world["county"])
    data = {"body": Body.PARTY, "level": Level.XIANGZHOU, "members": [stranger.pk]}
    response = client.post("/admin/liaison/offices/new/", data)
    assert "只能选择“领导办公室”组的在用账号" in admin_field_error(response, "members")
    response = client.post("/admin/liaison/offices/new/", {**data, "level": Level.WUXUAN, "members": [member.pk]})
    assert "您只能登记本属地的领导和办公室" in admin_field_error(response, "level")
    assert not LeaderOffice.objects.filter(level=Level.XIANGZHOU, body=Body.PARTY).exists()

    assert client.post("/admin/liaison/offices/new/", {**data, "members": [member.pk]}).status_code == 302
    office = LeaderOffice.objects.get(level=Level.XIANGZHOU, body=Body.PARTY)
    assert list(office.members.all()) == [member]
    assert LeaderOfficeLogEntry.objects.filter(office=office, action="wagtail.create").exists()
    listing = client.get("/admin/liaison/offices/").content.decode()
    assert re.search(rf'<a href="/admin/liaison/offices/inspect/{office.pk}/">\s*象州县委办公室\s*</a>', listing)
    assert "xianweiban" in listing
    response = client.post("/admin/liaison/offices/new/", {**data, "members": []})
    assert "该班子的办公室已登记" in admin_field_error(response, "body")
    assert LeaderOffice.objects.filter(level=Level.XIANGZHOU, body=Body.PARTY).count() == 1


def test_an_offices_history_is_its_countys_alone(client, world):
    member = make_login("xianweiban", LEADER_OFFICES)
    client.force_login(world["county"])
    client.post("/admin/liaison/offices/new/", {"body": Body.PARTY, "level": Level.XIANGZHOU, "members": [member.pk]})
    office = LeaderOffice.objects.get(level=Level.XIANGZHOU, body=Body.PARTY)
    assert client.get(f"/admin/liaison/offices/history/{office.pk}/").status_code == 200
    client.force_login(world["other_county"])
    assert client.get(f"/admin/liaison/offices/history/{office.pk}/").status_code == 404
    assert "象州县委办公室" not in client.get("/admin/reports/site-history/").content.decode()
    client.force_login(world["city"])
    assert "象州县委办公室" in client.get("/admin/reports/site-history/").content.decode()


# Pairing forms -----------------------------------------------------------------------------


def pairing_data(leader, expert, started_on=None):
    return {"leader": leader.pk, "expert": expert.pk, "started_on": (started_on or TODAY).isoformat()}


def test_the_pairing_form_offers_a_county_only_its_active_leaders_and_experts(client, world):
    remove_expert(world["experts"]["county_c"], date=TODAY, reason="left_city", basis="调离", user=world["county"])
    client.force_login(world["county"])
    html = client.get("/admin/liaison/pairings/new/").content.decode()
    for offered in ("蓝县长（县长）", "黄书记（县委书记）"):
        assert offered in html, offered
    for withheld in ("覃书记", "韦离任", "市专家甲", "县专家丙"):
        assert withheld not in html, withheld
    # The experts are picked in the expert chooser, which offers the county's experts in the database.
    assert 'id="id_expert-chooser"' in html and "/admin/experts/chooser/" in html
    chooser = client.get("/admin/experts/chooser/").json()["html"]
    for offered in ("县专家甲", "县专家乙", "象州县中学"):
        assert offered in chooser, offered
    for withheld in ("市专家甲", "县专家丙"):
        assert withheld not in chooser, withheld


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("removed_expert", "expert", "已调出专家库，不能新建结对"),
        ("running", "expert", "蓝县长已在联系县专家乙"),
        ("left", "leader", "韦离任已离任，不能新建结对"),
        ("future", "started_on", "开始日期不能晚于今天"),
        ("other_countys_expert", "expert", "该专家不在您可管理的范围内"),
        ("city_leader", "leader", "该领导不在您可管理的范围内"),
    ],
)
def test_the_pairing_form_refuses_each_case_next_to_its_field(client, world, case, field, message):
    experts = world["experts"]
    leader, expert, started_on = world["county_leader"], experts["county_c"], TODAY
    if case == "removed_expert":
        remove_expert(expert, date=TODAY, reason="left_city", basis="调离", user=world["county"])
    elif case == "running":
        expert = experts["county_b"]
    elif case == "left":
        leader = world["left"]
    elif case == "future":
        started_on = TODAY + datetime.timedelta(days=1)
    elif case == "other_countys_expert":
        expert = experts["city_b"]
    elif case == "city_leader":
        leader = world["city_leader"]
    before = Pairing.objects.count()
    client.force_login(world["county"])
    response = client.post("/admin/liaison/pairings/new/", pairing_data(leader, expert, started_on))
    assert response.status_code == 200
    assert message in (admin_field_error(response, field) or "")
    assert Pairing.objects.count() == before


def test_a_new_pairing_is_recorded_with_who_made_it_and_logged(client, world):
    client.force_login(world["county"])
    response = client.post(
        "/admin/liaison/pairings/new/", pairing_data(world["county_leader"], world["experts"]["county_c"])
    )
    assert response.status_code == 302
    pairing = Pairing.objects.get(leader=world["county_leader"], expert=world["experts"]["county_c"])
    assert (pairing.created_by, pairing.started_on, pairing.ended_on) == (world["county"], TODAY, None)
    assert PairingLogEntry.objects.filter(pairing=pairing, action="wagtail.create", user=world["county"]).exists()
    assert "蓝县长（县长）" not in rows(client.get("/admin/liaison/leaders/?quota=under"))


def test_the_pairing_list_shows_name_and_unit_never_a_phone_and_filters(client, world):
    client.force_login(world["city"])
    response = client.get("/admin/liaison/pairings/")
    html = response.content.decode()
    assert "县专家乙（象州县中学）" in html
    assert world["experts"]["county_b"].mobile not in html
    assert len(response.context["object_list"]) == 5
    assert rows(client.get("/admin/liaison/pairings/?level=city")) == {"覃书记 — 市专家甲", "覃书记 — 县专家甲"}
    leader = world["county_leader"]
    assert rows(client.get(f"/admin/liaison/pairings/?leader={leader.pk}")) == {"蓝县长 — 县专家乙"}
    services_end(world["under_pairing"], world["county"])
    assert rows(client.get("/admin/liaison/pairings/?status=ended")) == {"蓝县长 — 县专家乙"}
    assert len(rows(client.get("/admin/liaison/pairings/?status=active"))) == 4


def services_end(pairing, user):
    end_pairing(pairing, ended_on=TODAY, note="职务调整", user=user)


# Ending a pairing --------------------------------------------------------------------------


def test_ending_a_pairing_asks_a_date_not_before_the_start_nor_after_today(client, world):
    pairing = world["under_pairing"]
    url = f"/admin/liaison/pairings/end/{pairing.pk}/"
    client.force_login(world["county"])
    response = client.post(url, {"ended_on": "2025-12-31", "note": "职务调整"})
    assert "结束日期不能早于开始日期（2026-01-05）" in admin_field_error(response, "ended_on")
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(url, {"ended_on": tomorrow.isoformat(), "note": "职务调整"})
    assert "结束日期不能晚于今天" in admin_field_error(response, "ended_on")
    response = client.post(url, {"ended_on": TODAY.isoformat(), "note": ""})
    assert "请填写结束原因" in admin_field_error(response, "note")
    pairing.refresh_from_db()
    assert pairing.ended_on is None

    response = client.post(url, {"ended_on": TODAY.isoformat(), "note": "职务调整"})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.ended_on, pairing.end_note) == (TODAY, "职务调整")
    entry = PairingLogEntry.objects.get(pairing=pairing, action="liaison.pairing.end")
    assert entry.user == world["county"]
    # Once ended, the form is not offered again, and the row stays (history is kept).
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/admin/liaison/pairings/inspect/{pairing.pk}/"
    assert client.get(f"/admin/liaison/pairings/inspect/{pairing.pk}/").status_code == 200


def test_only_the_start_date_of_a_pairing_is_corrected_and_not_past_its_end(client, world):
    pairing = world["under_pairing"]
    ended_on = pairing.started_on + datetime.timedelta(days=30)
    end_pairing(pairing, ended_on=ended_on, note="职务调整", user=world["county"])
    client.force_login(world["county"])
    url = f"/admin/liaison/pairings/edit/{pairing.pk}/"
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(url, {"started_on": tomorrow.isoformat(), "leader": world["city_leader"].pk})
    assert "开始日期不能晚于今天" in admin_field_error(response, "started_on")
    after_end = ended_on + datetime.timedelta(days=1)
    response = client.post(url, {"started_on": after_end.isoformat()})
    assert f"开始日期不能晚于结束日期（{ended_on:%Y-%m-%d}）" in admin_field_error(response, "started_on")
    response = client.post(url, {"started_on": "2026-01-01", "leader": world["city_leader"].pk})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.started_on, pairing.leader) == (datetime.date(2026, 1, 1), world["county_leader"])


def test_offices_cannot_delete_a_pairing(client, world):
    pairing = world["under_pairing"]
    client.force_login(world["city"])
    assert denied(client.post(f"/admin/liaison/pairings/delete/{pairing.pk}/"))
    assert Pairing.objects.filter(pk=pairing.pk).exists()


# Who reaches which route -------------------------------------------------------------------


LAST_VIEWS = ("delete", "usage", "history-results")  # after the ones a county office opens on its own rows


def object_routes(world):
    """Each route about one row of 象州县: its leader, its pairing and its office."""
    office = LeaderOffice.objects.create(body=Body.GOVERNMENT, level=Level.XIANGZHOU)
    leader, pairing = world["county_leader"], world["under_pairing"]
    return {
        "leader": [
            f"/admin/liaison/leaders/{view}/{leader.pk}/" for view in ("inspect", "edit", "history", *LAST_VIEWS)
        ],
        "pairing": [
            f"/admin/liaison/pairings/{view}/{pairing.pk}/"
            for view in ("inspect", "edit", "history", "end", *LAST_VIEWS)
        ],
        "office": [
            f"/admin/liaison/offices/{view}/{office.pk}/" for view in ("inspect", "edit", "history", *LAST_VIEWS)
        ],
    }


LIST_ROUTES = ["/admin/liaison/leaders/", "/admin/liaison/pairings/", "/admin/liaison/quota/"]


@pytest.mark.parametrize("user", ["other_county", "leader_user", "office_user", "liaison"])
def test_another_countys_rows_do_not_exist_for_other_users(client, world, user):
    routes = object_routes(world)
    client.force_login(world[user])
    for url in routes["leader"] + routes["pairing"] + routes["office"]:
        assert client.get(url).status_code == 404, url
    pairing = world["under_pairing"]
    response = client.post(f"/admin/liaison/pairings/end/{pairing.pk}/", {"ended_on": TODAY, "note": "越权"})
    assert response.status_code == 404
    pairing.refresh_from_db()
    assert pairing.ended_on is None
    for url in LIST_ROUTES:
        response = client.get(url)
        assert denied(response) or "蓝县长" not in response.content.decode(), url


def test_leaders_and_their_offices_see_their_own_but_may_not_change_them(client, world):
    leader = world["city_leader"]
    pairing = Pairing.objects.get(leader=leader, expert=world["experts"]["city_a"])
    for user in ("leader_user", "office_user"):
        client.force_login(world[user])
        assert rows(client.get("/admin/liaison/leaders/")) == {"覃书记（市委书记）"}, user
        assert rows(client.get("/admin/liaison/pairings/")) == {"覃书记 — 市专家甲", "覃书记 — 县专家甲"}, user
        assert client.get(f"/admin/liaison/leaders/inspect/{leader.pk}/").status_code == 200
        assert client.get(f"/admin/liaison/pairings/inspect/{pairing.pk}/").status_code == 200
        for url in (
            f"/admin/liaison/leaders/edit/{leader.pk}/",
            f"/admin/liaison/pairings/edit/{pairing.pk}/",
            f"/admin/liaison/pairings/end/{pairing.pk}/",
        ):
            assert denied(client.get(url)), (user, url)
        assert denied(client.post(f"/admin/liaison/pairings/end/{pairing.pk}/", {"ended_on": TODAY, "note": "x"}))
        for url in ("/admin/liaison/leaders/new/", "/admin/liaison/pairings/new/", "/admin/liaison/offices/"):
            assert denied(client.get(url)), (user, url)
        data = pairing_data(leader, world["experts"]["city_b"])
        assert denied(client.post("/admin/liaison/pairings/new/", data))
    pairing.refresh_from_db()
    assert pairing.ended_on is None
    assert not Pairing.objects.filter(expert=world["experts"]["city_b"]).exists()


def test_a_unit_liaison_reaches_none_of_these_screens(client, world):
    client.force_login(world["liaison"])
    for url in [*LIST_ROUTES, "/admin/liaison/offices/", "/admin/liaison/pairings/new/", "/admin/liaison/leaders/new/"]:
        assert denied(client.get(url)), url
    menu = client.get("/admin/").content.decode()
    assert "/admin/liaison/quota/" not in menu and "/admin/liaison/leaders/" not in menu


def test_a_county_offices_own_rows_open(client, world):
    routes = object_routes(world)
    client.force_login(world["county"])
    for url in routes["leader"][:3] + routes["pairing"][:4] + routes["office"][:3]:
        assert client.get(url).status_code == 200, url


# Queries -----------------------------------------------------------------------------------


def grow(world, count):
    """`count` more county leaders, each with one pairing (under quota) with a new expert."""
    start = Leader.objects.count()
    for number in range(start, start + count):
        leader = make_leader(f"领导{number}", Level.XIANGZHOU, Body.CONGRESS, post="县人大常委会副主任")
        expert = make_expert(world["city"], world["school"], name=f"专家{number}")
        pair(leader, expert)


@pytest.mark.parametrize("url", [*LIST_ROUTES, "/admin/liaison/offices/"])
def test_lists_cost_the_same_number_of_queries_as_they_grow(client, world, url):
    for body in (Body.PARTY, Body.GOVERNMENT):
        office = LeaderOffice.objects.create(body=body, level=Level.XIANGZHOU)
        office.members.add(make_login(f"office-{body}", LEADER_OFFICES))
    client.force_login(world["city"])
    client.get(url)  # warm caches (content types, site)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(world, 2)
    few = count_queries()
    grow(world, 12)
    assert count_queries() == few
