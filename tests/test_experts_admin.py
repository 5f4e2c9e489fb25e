"""The expert database in the Wagtail admin: who sees what, search, filters, and every action logged."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experts.models import Expert, ExpertLogEntry, ExpertStatus, TalentCategory, Unit
from experts.services import remove_expert
from experts.signals import expert_left_public
from staff.levels import Level
from staff.roles import CITY_OFFICE, COUNTY_OFFICE, EDITORS

from .experts_builders import days_ago, expert_data, make_expert, make_staff, make_superuser, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_user():
    return make_staff("city", Level.CITY)


@pytest.fixture
def county_user():
    return make_staff("xingbin", Level.XINGBIN)


@pytest.fixture
def experts(city_user):
    """One expert in the city, one in 兴宾区, one in 合山市."""
    return {
        Level.CITY: make_expert(city_user, make_unit("来宾市人民医院"), name="城某一", specialty="心血管内科"),
        Level.XINGBIN: make_expert(
            city_user, make_unit("兴宾区人民医院", Level.XINGBIN), name="兴某二", specialty="儿科"
        ),
        Level.HESHAN: make_expert(
            city_user, make_unit("合山市第一中学", Level.HESHAN, "school"), name="合某三", specialty="高中数学"
        ),
    }


def listed_names(client, query=""):
    response = client.get(f"/admin/experts/{query}")
    assert response.status_code == 200
    return {expert.name for expert in response.context["object_list"]}


# Groups and permissions ------------------------------------------------------------------


@pytest.mark.parametrize("group", [CITY_OFFICE, COUNTY_OFFICE])
def test_office_groups_may_keep_experts_but_not_delete_them(group):
    codenames = set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))
    assert {"add_expert", "change_expert", "view_expert", "add_unit", "change_unit", "view_unit"} <= codenames
    assert "delete_expert" not in codenames


def test_editors_cannot_open_the_expert_database(client, experts):
    editor = User.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    assert client.get("/admin/experts/").status_code in (302, 403)
    assert client.get(f"/admin/experts/inspect/{experts[Level.CITY].pk}/").status_code in (302, 403, 404)
    assert client.get("/admin/experts/?export=csv").status_code in (302, 403)


# Who sees what ---------------------------------------------------------------------------


def test_city_staff_list_every_level(client, city_user, experts):
    client.force_login(city_user)
    assert listed_names(client) == {"城某一", "兴某二", "合某三"}


def test_county_staff_list_only_their_county(client, county_user, experts):
    client.force_login(county_user)
    assert listed_names(client) == {"兴某二"}
    assert listed_names(client, "?level=heshan") == set()


def test_office_member_without_a_level_sees_nothing(client, experts):
    nobody = User.objects.create_user("nobody", password="pw")
    nobody.groups.add(Group.objects.get(name=COUNTY_OFFICE))
    client.force_login(nobody)
    assert listed_names(client) == set()


@pytest.mark.parametrize("view", ["inspect", "edit", "history", "remove", "usage"])
def test_county_staff_get_404_for_another_countys_record(client, county_user, experts, view):
    client.force_login(county_user)
    assert client.get(f"/admin/experts/{view}/{experts[Level.HESHAN].pk}/").status_code == 404
    assert client.get(f"/admin/experts/{view}/{experts[Level.XINGBIN].pk}/").status_code == 200


def test_county_staff_cannot_post_to_another_countys_record(client, county_user, experts):
    client.force_login(county_user)
    other = experts[Level.HESHAN]
    response = client.post(f"/admin/experts/edit/{other.pk}/", expert_data(other.unit, name="改名"))
    assert response.status_code == 404
    response = client.post(
        f"/admin/experts/remove/{other.pk}/", {"date": days_ago(0).isoformat(), "reason": "other", "basis": "x"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.name, other.status) == ("合某三", ExpertStatus.ACTIVE)


def test_county_staff_see_only_their_units(client, county_user, experts):
    client.force_login(county_user)
    response = client.get("/admin/experts/units/")
    assert {unit.name for unit in response.context["object_list"]} == {"兴宾区人民医院"}
    heshan_unit = experts[Level.HESHAN].unit
    assert client.get(f"/admin/experts/units/inspect/{heshan_unit.pk}/").status_code == 404
    assert client.get(f"/admin/experts/units/edit/{heshan_unit.pk}/").status_code == 404


# Search, filters, masking ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("人民医院", {"城某一", "兴某二"}),
        ("来宾市人民", {"城某一"}),
        ("某二", {"兴某二"}),
        ("数学", {"合某三"}),
        ("血管", {"城某一"}),
    ],
)
def test_search_finds_chinese_substrings_of_name_unit_and_specialty(client, city_user, experts, query, names):
    client.force_login(city_user)
    assert listed_names(client, f"?q={query}") == names


def test_filters(client, city_user, experts):
    client.force_login(city_user)
    hospital_experts = {"城某一", "兴某二"}
    assert listed_names(client, "?level=xingbin") == {"兴某二"}
    assert listed_names(client, "?unit_type=hospital") == hospital_experts
    assert listed_names(client, "?unit_type=school") == {"合某三"}
    assert listed_names(client, "?talent_team=professional_technical") == {"城某一", "兴某二", "合某三"}
    assert listed_names(client, "?talent_team=highly_skilled") == set()
    assert listed_names(client, "?title_level=senior") == {"城某一", "兴某二", "合某三"}
    assert listed_names(client, "?title_level=intermediate") == set()
    make_expert(city_user, name="早某四", joined_on="2022-06-01")
    assert listed_names(client, "?joined_year=2024") == {"城某一", "兴某二", "合某三"}
    assert listed_names(client, "?joined_year=2023") == set()
    assert listed_names(client, "?joined_year=2022") == {"早某四"}
    category = TalentCategory.objects.get(code="national_programme")
    experts[Level.CITY].categories.add(category)
    assert listed_names(client, f"?categories={category.pk}") == {"城某一"}


def test_removed_experts_leave_the_active_list(client, city_user, experts):
    client.force_login(city_user)
    remove_expert(experts[Level.CITY], date=days_ago(0), reason="left_city", basis="", user=city_user)
    assert listed_names(client) == {"兴某二", "合某三"}
    assert listed_names(client, "?status=removed") == {"城某一"}
    assert listed_names(client, "?status=all") == {"城某一", "兴某二", "合某三"}


def test_sorting_by_columns(client, city_user, experts):
    client.force_login(city_user)
    response = client.get("/admin/experts/?ordering=-unit__name")
    assert [expert.unit.name for expert in response.context["object_list"]] == sorted(
        ["来宾市人民医院", "兴宾区人民医院", "合山市第一中学"], reverse=True
    )


def test_phone_and_email_are_masked_in_the_list_and_the_detail(client, city_user):
    expert = make_expert(city_user, mobile="13912345678", email="weimouming@example.invalid")
    client.force_login(city_user)
    listing = client.get("/admin/experts/").content.decode()
    assert "139****5678" in listing and "w***@example.invalid" in listing
    assert "13912345678" not in listing and "weimouming@" not in listing
    detail = client.get(f"/admin/experts/inspect/{expert.pk}/").content.decode()
    assert "139****5678" in detail and "w***@example.invalid" in detail  # in full only on a reveal (test_audit_views)
    assert "13912345678" not in detail and "weimouming@" not in detail


def test_list_queries_do_not_grow_with_rows(client, city_user):
    client.force_login(city_user)
    unit = make_unit()
    make_expert(city_user, unit)
    client.get("/admin/experts/")  # warm caches (content types, site)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/experts/").status_code == 200
        return len(queries)

    few = count_queries()
    for _ in range(15):
        make_expert(city_user, unit)
    assert count_queries() == few


# Actions and their log entries ----------------------------------------------------------


def test_create_through_the_admin_records_entry_and_log(client, county_user):
    client.force_login(county_user)
    unit = make_unit("兴宾区人民医院", Level.XINGBIN)
    response = client.post("/admin/experts/new/", expert_data(unit, name="新某人"))
    assert response.status_code == 302
    expert = Expert.objects.get(name="新某人")
    assert expert.status_changes.get().made_by == county_user
    assert ExpertLogEntry.objects.filter(expert=expert, action="wagtail.create", user=county_user).exists()


def test_create_with_bad_input_shows_errors_and_saves_nothing(client, county_user):
    client.force_login(county_user)
    unit = make_unit("兴宾区人民医院", Level.XINGBIN)
    response = client.post("/admin/experts/new/", expert_data(unit, mobile="12345", birth_date="2999-01-01"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "请输入11位手机号码" in content and "出生日期不能晚于今天" in content
    assert not Expert.objects.exists()


def test_county_staff_cannot_create_a_record_for_another_level(client, county_user):
    client.force_login(county_user)
    unit = make_unit("合山市人民医院", Level.HESHAN)
    response = client.post("/admin/experts/new/", expert_data(unit))
    assert response.status_code == 200
    assert "您只能录入本属地的记录" in response.content.decode()
    assert not Expert.objects.exists()


def test_edit_is_logged_and_withdrawn_consent_takes_the_profile_down(client, city_user):
    expert = make_expert(city_user, public_profile_consent="on", public_profile_consent_on="2024-01-01")
    sent = []

    def receiver(sender, expert, **kwargs):
        sent.append(expert.pk)

    expert_left_public.connect(receiver, weak=False)
    client.force_login(city_user)
    try:
        data = expert_data(expert.unit, name=expert.name, mobile=expert.mobile, position="副院长")
        response = client.post(f"/admin/experts/edit/{expert.pk}/", data)
    finally:
        expert_left_public.disconnect(receiver)
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.position == "副院长" and not expert.public_profile_consent
    assert sent == [expert.pk]
    actions = set(ExpertLogEntry.objects.filter(expert=expert).values_list("action", flat=True))
    assert {"wagtail.edit", "experts.withdraw_consent"} <= actions


def test_remove_and_restore_through_the_admin(client, county_user):
    expert = make_expert(county_user, make_unit("兴宾区人民医院", Level.XINGBIN), joined_on="2024-01-01")
    client.force_login(county_user)

    response = client.post(f"/admin/experts/remove/{expert.pk}/", {"date": "", "reason": "", "basis": ""})
    assert response.status_code == 200
    assert expert.status_changes.count() == 1

    data = {"date": days_ago(3).isoformat(), "reason": "academic_misconduct", "basis": "调查结论"}
    response = client.post(f"/admin/experts/remove/{expert.pk}/", data)
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.REMOVED

    detail = client.get(f"/admin/experts/inspect/{expert.pk}/").content.decode()
    assert "学术不端" in detail and "调查结论" in detail and "恢复入库" in detail

    response = client.post(f"/admin/experts/restore/{expert.pk}/", {"date": days_ago(1).isoformat(), "basis": "复核"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.ACTIVE
    logged = ExpertLogEntry.objects.filter(expert=expert, user=county_user)
    assert {"experts.remove", "experts.restore"} <= set(logged.values_list("action", flat=True))


def test_removal_returns_to_a_safe_next_url_only(client, city_user):
    expert = make_expert(city_user, joined_on="2024-01-01")
    client.force_login(city_user)
    data = {"date": days_ago(0).isoformat(), "reason": "other", "basis": "x", "next": "https://evil.example/"}
    response = client.post(f"/admin/experts/remove/{expert.pk}/", data)
    assert response["Location"] == f"/admin/experts/inspect/{expert.pk}/"


def test_history_view_shows_removal_in_chinese(client, city_user):
    expert = make_expert(city_user, joined_on="2024-01-01")
    remove_expert(expert, date=days_ago(0), reason="left_city", basis="", user=city_user)
    client.force_login(city_user)
    assert "调出专家" in client.get(f"/admin/experts/history/{expert.pk}/").content.decode()


def test_site_history_report_shows_a_county_only_its_experts(client, county_user, experts):
    client.force_login(county_user)
    content = client.get("/admin/reports/site-history/").content.decode()
    assert "兴某二" in content
    assert "城某一" not in content and "合某三" not in content


def test_expert_log_entries_are_kept_apart_and_scoped(county_user, city_user, experts):
    assert ExpertLogEntry.objects.filter(action="wagtail.create").count() == 3
    assert {entry.expert.name for entry in ExpertLogEntry.objects.viewable_by_user(county_user)} == {"兴某二"}
    assert ExpertLogEntry.objects.viewable_by_user(city_user).count() == 3


def test_a_unit_with_experts_cannot_be_deleted(client, city_user, experts):
    unit = experts[Level.CITY].unit
    empty = make_unit("空单位")
    client.force_login(city_user)
    response = client.post(f"/admin/experts/units/delete/{unit.pk}/")
    assert response.status_code == 302
    assert Unit.objects.filter(pk=unit.pk).exists()
    client.post(f"/admin/experts/units/delete/{empty.pk}/")
    assert not Unit.objects.filter(pk=empty.pk).exists()


def test_an_expert_named_by_a_service_record_is_not_deleted_but_told_why(client, experts):
    from care.models import CheckupRound
    from tests.programme_builders import make_activity

    expert = experts[Level.CITY]
    make_activity(CheckupRound, [expert], level=Level.CITY, hospital="来宾市人民医院")
    client.force_login(make_superuser("root2"))
    response = client.post(f"/admin/experts/delete/{expert.pk}/", follow=True)
    assert response.status_code == 200
    assert "不能删除。专家离开专家库请使用“调出”。" in response.content.decode()
    assert Expert.objects.filter(pk=expert.pk).exists()


def test_a_unit_names_its_liaisons_among_the_liaison_group_of_its_level(client, county_user, experts):
    from tests.liaison_builders import make_liaison

    unit = experts[Level.XINGBIN].unit
    own = make_liaison("own-liaison", unit)
    elsewhere = make_liaison("far-liaison", make_unit("武宣县中学", Level.WUXUAN))
    client.force_login(county_user)
    form = client.get(f"/admin/experts/units/edit/{unit.pk}/").content.decode()
    assert "own-liaison" in form
    assert "far-liaison" not in form  # another county's liaison is not offered

    data = {"name": unit.name, "unit_type": unit.unit_type, "level": unit.level, "liaisons": [own.pk, elsewhere.pk]}
    response = client.post(f"/admin/experts/units/edit/{unit.pk}/", data)
    assert response.status_code == 200  # refused: not a choice
    assert list(unit.liaisons.all()) == [own]


def test_a_liaison_of_another_level_is_refused_with_a_message(client, city_user, experts):
    from tests.liaison_builders import make_liaison

    unit = experts[Level.CITY].unit
    far = make_liaison("far-liaison", make_unit("武宣县中学", Level.WUXUAN))
    client.force_login(city_user)
    data = {"name": unit.name, "unit_type": unit.unit_type, "level": unit.level, "liaisons": [far.pk]}
    response = client.post(f"/admin/experts/units/edit/{unit.pk}/", data)
    assert response.status_code == 200
    assert "属地与单位不同" in response.content.decode()
    assert not unit.liaisons.exists()


def test_the_detail_still_opens_after_the_staff_member_who_removed_the_expert_is_deleted(client, city_user, experts):
    remover = make_staff("remover", Level.CITY)
    expert = experts[Level.CITY]
    remove_expert(expert, date=days_ago(1), reason="left_city", basis="组织部通知", user=remover)
    remover.delete()  # the status change keeps its row, with no user any more
    client.force_login(city_user)
    response = client.get(f"/admin/experts/inspect/{expert.pk}/")
    assert response.status_code == 200
    assert "组织部通知" in response.content.decode()
