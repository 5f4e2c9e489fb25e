"""The one expert chooser (experts/choosers.py): every form that names experts opens it instead of listing
every expert in a select; it offers, per purpose and role, only the experts the user may pick, searches
Chinese names in a constant number of queries, never shows a phone; each form refuses any other id."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from experts.models import Expert
from intake.models import Channel, IntakeItem
from liaison.models import Body, EventReport, Pairing
from staff.levels import Level
from staff.roles import EDITORS

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .intake_builders import form_data
from .liaison_builders import admin_field_error, make_leader, make_liaison, make_login, make_office_user
from .public_builders import build_sections, give_consent

pytestmark = pytest.mark.django_db

CHOOSE = reverse("expert_chooser:choose")
RESULTS = reverse("expert_chooser:choose_results")


@pytest.fixture
def world():
    root = make_superuser()
    hospital = make_unit("兴宾区人民医院", Level.XINGBIN)
    school = make_unit("兴宾区职业技术学校", Level.XINGBIN)
    other_unit = make_unit("合山市人民医院", Level.HESHAN)
    city_unit = make_unit("来宾市第一中学", Level.CITY)
    experts = {
        "own": make_expert(root, hospital, name="韦某明", mobile="13900000001"),
        "own_school": make_expert(root, school, name="覃某华"),
        "other": make_expert(root, other_unit, name="蓝某林"),
        "city": make_expert(root, city_unit, name="黄某涛"),
    }
    give_consent([experts["own"], experts["other"]], shows_unit=False)
    give_consent([experts["city"]], shows_unit=True)
    return {
        "root": root,
        "experts": {key: Expert.objects.get(pk=expert.pk) for key, expert in experts.items()},
        "county": make_staff("xingbin", Level.XINGBIN),
        "city": make_staff("city", Level.CITY),
        "liaison": make_liaison("liaison", school),
        "office": make_office_user("heshan-office", Body.GOVERNMENT, Level.HESHAN),
        "editor": make_login("editor", EDITORS),
    }


def refused(response):
    """Wagtail answers a refused admin view with a redirect to the dashboard (or a 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def chooser_html(client, purpose="", **params):
    response = client.get(CHOOSE, {"purpose": purpose, **params} if purpose else params)
    assert response.status_code == 200
    return response.json()["html"]


def names_offered(html, experts):
    return {expert.name for expert in experts.values() if expert.name in html}


# Who sees which experts, per purpose ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "purpose", "offered"),
    [
        ("city", "", {"覃某华", "蓝某林", "韦某明", "黄某涛"}),
        ("county", "", {"覃某华", "韦某明"}),
        ("county", "intake", {"覃某华", "韦某明"}),
        ("county", "contacts", {"覃某华", "韦某明"}),
        ("liaison", "", {"覃某华"}),  # the unit's experts, for the five reports
        ("office", "contacts", {"蓝某林"}),  # the experts of its leaders' level
        ("editor", "profile", {"蓝某林", "韦某明", "黄某涛"}),  # those who agreed to a public profile
    ],
)
def test_the_chooser_offers_each_role_only_its_experts(client, world, role, purpose, offered):
    client.force_login(world[role])
    html = chooser_html(client, purpose)
    assert names_offered(html, world["experts"]) == offered
    assert "13900000001" not in html  # never a phone number


@pytest.mark.parametrize(
    ("role", "purpose"),
    [("office", ""), ("editor", ""), ("editor", "intake"), ("liaison", "contacts"), ("county", "profile")],
)
def test_the_chooser_refuses_a_purpose_the_role_has_no_form_for(client, world, role, purpose):
    client.force_login(world[role])
    expert = world["experts"]["own"]
    for address in (CHOOSE, RESULTS, reverse("expert_chooser:chosen", args=[expert.pk])):
        assert refused(client.get(address, {"purpose": purpose} if purpose else {})), address


def test_an_unknown_purpose_is_not_found(client, world):
    client.force_login(world["city"])
    assert client.get(CHOOSE, {"purpose": "nothing"}).status_code == 404


def test_a_chosen_expert_outside_the_users_scope_is_not_found(client, world):
    client.force_login(world["county"])
    other, own = world["experts"]["other"], world["experts"]["own"]
    assert client.get(reverse("expert_chooser:chosen", args=[other.pk])).status_code == 404
    chosen = client.get(reverse("expert_chooser:chosen", args=[own.pk])).json()["result"]
    assert chosen["title"] == "韦某明（兴宾区人民医院）" and not chosen["edit_url"]
    several = client.get(reverse("expert_chooser:chosen_multiple"), {"id": [own.pk, other.pk]}).json()["result"]
    assert [item["title"] for item in several] == ["韦某明（兴宾区人民医院）"]


def test_the_page_editors_chooser_shows_a_unit_only_where_the_expert_agreed(client, world):
    client.force_login(world["editor"])
    html = chooser_html(client, "profile")
    assert "来宾市第一中学" in html  # 黄某涛 agreed to show the unit
    assert "合山市人民医院" not in html and "兴宾区人民医院" not in html
    # Searching a unit an expert did not agree to show finds nobody.
    assert "蓝某林" not in client.get(RESULTS, {"purpose": "profile", "q": "合山"}).content.decode()
    chosen = client.get(reverse("expert_chooser:chosen", args=[world["experts"]["other"].pk]), {"purpose": "profile"})
    assert chosen.json()["result"]["title"] == "蓝某林"


def test_the_chooser_searches_chinese_names_and_units(client, world):
    client.force_login(world["county"])
    by_name = client.get(RESULTS, {"q": "韦某"}).content.decode()
    assert "韦某明" in by_name and "覃某华" not in by_name
    by_unit = client.get(RESULTS, {"q": "职业技术"}).content.decode()
    assert "覃某华" in by_unit and "韦某明" not in by_unit
    assert "韦某明" not in client.get(RESULTS, {"q": "13900000001"}).content.decode()  # no search by phone
    assert "覃某华" in client.get(RESULTS, {"q": "某", "p": 1}).content.decode()


def test_the_chooser_keeps_its_purpose_as_it_searches_and_pages(client, world):
    client.force_login(world["office"])
    html = chooser_html(client, "contacts", multiple=1)
    assert "purpose=contacts" in html  # the results URL and the chosen URLs carry it
    results = client.get(RESULTS, {"purpose": "contacts", "q": "蓝"}).content.decode()
    assert reverse("expert_chooser:chosen", args=[world["experts"]["other"].pk]) + "?purpose=contacts" in results


def test_the_chooser_pages_in_a_constant_number_of_queries(client, world):
    client.force_login(world["county"])
    hospital = world["experts"]["own"].unit

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RESULTS, {"q": "某"}).status_code == 200
        return len(captured)

    few = queries()
    units = [make_unit(f"兴宾区演示单位{n}", Level.XINGBIN) for n in range(5)]
    for n in range(30):
        make_expert(world["root"], units[n % 5] if n % 2 else hospital, name=f"莫某{n}")
    assert queries() == few
    page = client.get(RESULTS, {"q": "某"}).content.decode()
    assert page.count("data-chooser-modal-choice") == 20  # one page of 20


# The forms: a chooser, never a select of every expert -----------------------------------------


def form_addresses(world):
    directory = build_sections()["experts"]
    return {
        "intake": ("county", reverse("intake_item:add"), "expert", "purpose=intake"),
        "pairing": ("county", "/admin/liaison/pairings/new/", "expert", None),
        "report": ("liaison", "/admin/liaison/reports/new/", "expert", None),
        "contact": ("county", "/admin/liaison/contacts/new/", "experts", "purpose=contacts"),
        "green_channel": ("county", reverse("care_green_channel:add"), "expert", None),
        "checkups": ("county", reverse("care_checkups:add"), "experts", None),
        "industry_group": ("county", reverse("consulting_groups:add"), "lead", None),
        "profile": (
            "editor",
            reverse("wagtailadmin_pages:add", args=("experts", "expertprofilepage", directory.pk)),
            "expert",
            "purpose=profile",
        ),
    }


FORMS = ["intake", "pairing", "report", "contact", "green_channel", "checkups", "industry_group", "profile"]


@pytest.mark.parametrize("form", FORMS)
def test_each_form_picks_experts_in_the_chooser(client, world, form):
    role, address, field, purpose = form_addresses(world)[form]
    client.force_login(world[role])
    html = client.get(address).content.decode()
    assert f'<select name="{field}"' not in html
    assert reverse("expert_chooser:choose") in html
    if purpose:
        assert purpose in html
    # No expert's name is listed on the form itself: they are in the chooser.
    assert not names_offered(html, world["experts"]), names_offered(html, world["experts"])


def test_a_county_office_posting_another_countys_expert_is_refused_next_to_the_field(client, world):
    client.force_login(world["county"])
    other = world["experts"]["other"]
    leader = make_leader("韦某县", Level.XINGBIN, post="区长")

    response = client.post(
        "/admin/liaison/pairings/new/", {"leader": leader.pk, "expert": other.pk, "started_on": "2026-01-05"}
    )
    assert response.status_code == 200
    assert "该专家不在您可管理的范围内" in admin_field_error(response, "expert")
    assert "蓝某林" not in response.content.decode()  # the refused id never shows as a name
    assert not Pairing.objects.exists()

    data = form_data(channel=Channel.HOTLINE, level=Level.XINGBIN, consent=None, website=None, expert=other.pk)
    response = client.post(reverse("intake_item:add"), data)
    assert response.status_code == 200
    assert admin_field_error(response, "expert") == "只能选择您负责属地的专家。"
    assert "蓝某林" not in response.content.decode()
    assert not IntakeItem.objects.exists()


def test_a_liaison_posting_an_expert_outside_their_units_is_refused(client, world):
    client.force_login(world["liaison"])
    data = {
        "expert": world["experts"]["own"].pk,
        "kind": "achievement",
        "event_date": "2026-01-05",
        "details": "获奖。",
    }
    response = client.post("/admin/liaison/reports/new/", data)
    assert response.status_code == 200
    assert "只能报送您所联系单位的在库专家" in admin_field_error(response, "expert")
    assert not EventReport.objects.exists()


def test_a_page_editor_cannot_give_a_profile_an_expert_who_did_not_agree(client, world):
    directory = build_sections()["experts"]
    client.force_login(world["editor"])
    address = reverse("wagtailadmin_pages:add", args=("experts", "expertprofilepage", directory.pk))
    data = {
        "title": "覃某华",
        "slug": "qin-mou-hua",
        "expert": world["experts"]["own_school"].pk,  # no consent
        "field": "职业教育",
        "talent_team": "professional_technical",
        "summary": "简介。",
    }
    response = client.post(address, data)
    assert response.status_code == 200
    assert admin_field_error(response, "expert")
    assert "覃某华" not in response.context["form"]["expert"].as_widget()
    assert not directory.get_children().exists()
