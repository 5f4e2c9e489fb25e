"""The leader chooser (liaison/choosers.py) behind the 联系领导 / 参加领导 filters of the contact record,
pairing and must-visit lists: the lists no longer draw every leader, a chosen leader filters and is
named, a forged one is neither, and the chooser offers only the leaders a user sees."""

import json

import pytest

from liaison.models import Body
from staff.levels import Level
from staff.roles import DEPARTMENT_USERS

from .experts_builders import make_expert, make_staff, make_unit
from .liaison_builders import contact, make_leader, make_liaison, make_login, pair

pytestmark = pytest.mark.django_db

LISTS = ["/admin/liaison/contacts/", "/admin/liaison/pairings/", "/admin/liaison/visits/"]
CHOOSER = "/admin/liaison/leader-chooser/"


@pytest.fixture
def world():
    city = make_staff("city", Level.CITY)
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    school = make_unit("象州县中学", Level.XIANGZHOU)
    expert = make_expert(county, school, name="县专家甲")
    county_leader = make_leader("蓝县长", Level.XIANGZHOU, Body.GOVERNMENT, post="县长")
    city_leader = make_leader("韦市长", Level.CITY, Body.GOVERNMENT, post="市长")
    pair(county_leader, expert)
    record = contact([county_leader], [expert], level=Level.XIANGZHOU)
    idle = [make_leader(f"无记录领导{number}", Level.CITY, post="副市长") for number in range(30)]
    return {
        "city": city,
        "county": county,
        "school": school,
        "county_leader": county_leader,
        "city_leader": city_leader,
        "record": record,
        "idle": idle,
    }


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("address", LISTS)
def test_a_list_names_no_leader_it_does_not_show(client, world, address):
    client.force_login(world["city"])
    page = page_text(client.get(address))
    assert "选择领导" in page  # the filter's chooser button
    assert not [leader.name for leader in world["idle"] if leader.name in page]


def test_the_chosen_leader_filters_the_lists_and_is_named(client, world):
    client.force_login(world["county"])
    leader = world["county_leader"]
    response = client.get(LISTS[0], {"leader": leader.pk})
    assert [row.pk for row in response.context["object_list"]] == [world["record"].pk]
    assert "蓝县长（县长）" in page_text(response)
    response = client.get(LISTS[1], {"leader": leader.pk})
    assert [pairing.leader_id for pairing in response.context["object_list"]] == [leader.pk]


@pytest.mark.parametrize("address", LISTS)
@pytest.mark.parametrize("value", ["city_leader", "abc", "-1", "1e5", "9" * 30, "1 OR 1=1"])
def test_a_forged_leader_is_neither_named_nor_an_error(client, world, address, value):
    client.force_login(world["county"])
    value = world[value].pk if value in world else value
    page = page_text(client.get(address, {"leader": value}))
    assert "韦市长" not in page


def chooser_page(client, path="", **query):
    response = client.get(f"{CHOOSER}{path}", query)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_chooser_offers_the_leaders_the_user_sees_searched_by_name_or_post(client, world):
    client.force_login(world["county"])
    html = chooser_page(client)["html"]
    assert "蓝县长" in html and "韦市长" not in html
    client.force_login(world["city"])
    assert "韦市长" in chooser_page(client)["html"]
    results = page_text(client.get(f"{CHOOSER}results/", {"q": "县长"}))  # the results alone, as HTML
    assert "蓝县长" in results and "韦市长" not in results and "无记录领导" not in results


def test_the_chooser_returns_only_a_leader_the_user_sees(client, world):
    client.force_login(world["county"])
    chosen = chooser_page(client, f"chosen/{world['county_leader'].pk}/")
    assert chosen["result"]["title"] == "蓝县长（县长）"
    for forged in (world["city_leader"].pk, "abc", "1e5", "9" * 30):
        assert client.get(f"{CHOOSER}chosen/{forged}/").status_code == 404, forged
    for query in ({"q": "' OR 1=1 --"}, {"q": "蓝" * 500}):
        assert client.get(f"{CHOOSER}results/", query).status_code == 200, query
    for page in ("abc", "99"):  # a page that does not exist, as in Wagtail's every chooser
        assert client.get(f"{CHOOSER}results/", {"p": page}).status_code == 404, page


@pytest.mark.parametrize("role", ["unit_liaison", "department"])
def test_only_the_lists_users_open_the_chooser(client, world, role):
    user = (
        make_liaison("lianluoyuan", world["school"])
        if role == "unit_liaison"
        else make_login("bumen", DEPARTMENT_USERS)
    )
    client.force_login(user)
    for path in ("", "results/", f"chosen/{world['county_leader'].pk}/"):
        response = client.get(f"{CHOOSER}{path}")
        assert response.status_code in (302, 403) and "蓝县长".encode() not in response.content
