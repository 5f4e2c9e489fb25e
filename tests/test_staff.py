"""Staff levels: who sees which county's records, and how an administrator sets it."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404
from django.test import RequestFactory
from wagtail.permissions import policy_registry

from staff.exports import log_export
from staff.levels import Level
from staff.migration_operations import grant_permissions, revoke_permissions
from staff.models import ExportLogEntry, StaffProfile
from staff.roles import ALL_GROUPS, CITY_OFFICE, COUNTY_OFFICE, UNIT_LIAISONS
from staff.scoping import (
    ALL_LEVELS,
    LevelScopedIndexMixin,
    LevelScopedObjectMixin,
    LevelScopedPermissionPolicy,
    ensure_in_scope,
    in_scope,
    level_scope,
    restrict_to_scope,
)

pytestmark = pytest.mark.django_db


def make_staff(username, level=None, group=None, **fields):
    user = User.objects.create_user(username, password="pw", **fields)
    if level:
        StaffProfile.objects.create(user=user, level=level)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh, without cached permissions or scope


def test_groups_exist_and_may_enter_the_admin():
    for name in ALL_GROUPS:
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()


def test_city_staff_and_superusers_see_every_level():
    assert level_scope(make_staff("city", Level.CITY)) is ALL_LEVELS
    assert level_scope(make_staff("root", is_superuser=True)) is ALL_LEVELS


def test_county_staff_see_only_their_county():
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    assert level_scope(county) == Level.XIANGZHOU
    assert in_scope(county, Level.XIANGZHOU)
    assert not in_scope(county, Level.WUXUAN)
    assert not in_scope(county, Level.CITY)


def test_a_user_without_a_level_sees_nothing():
    nobody = make_staff("nobody")
    assert level_scope(nobody) == ""
    assert not in_scope(nobody, Level.CITY)
    assert list(restrict_to_scope(StaffProfile.objects.all(), nobody)) == []


def test_inactive_users_see_nothing():
    assert level_scope(make_staff("gone", Level.CITY, is_active=False)) == ""


def test_restrict_to_scope_filters_by_the_named_field():
    make_staff("a", Level.XINGBIN)
    make_staff("b", Level.HESHAN)
    county = make_staff("c", Level.XINGBIN)
    rows = restrict_to_scope(StaffProfile.objects.all(), county)
    assert {row.user.username for row in rows} == {"a", "c"}
    users = restrict_to_scope(User.objects.all(), county, field="staff_profile__level")
    assert {user.username for user in users} == {"a", "c"}


def test_level_scoped_policy_combines_model_permissions_and_level():
    policy = LevelScopedPermissionPolicy(StaffProfile)
    county = make_staff("county", Level.WUXUAN, is_superuser=False)
    other = StaffProfile.objects.create(user=User.objects.create_user("other"), level=Level.JINXIU)
    own = StaffProfile.objects.get(user=county)

    # No model permission yet: nothing, even in the user's own county.
    assert not policy.user_has_permission_for_instance(county, "change", own)
    assert not policy.instances_user_has_permission_for(county, "change").exists()

    county.user_permissions.add(*policy._get_permission_objects_for_actions(["change"]))
    county = User.objects.get(pk=county.pk)
    assert policy.user_has_permission_for_instance(county, "change", own)
    assert not policy.user_has_permission_for_instance(county, "change", other)
    assert list(policy.instances_user_has_permission_for(county, "change")) == [own]


def test_level_field_may_be_a_lookup_path():
    policy = LevelScopedPermissionPolicy(User, level_field="staff_profile__level")
    county = make_staff("county", Level.WUXUAN)
    county.user_permissions.add(*policy._get_permission_objects_for_actions(["change"]))
    county = User.objects.get(pk=county.pk)
    neighbour = make_staff("neighbour", Level.JINXIU)

    assert policy.user_has_permission_for_instance(county, "change", county)
    assert not policy.user_has_permission_for_instance(county, "change", neighbour)
    assert list(policy.instances_user_has_permission_for(county, "change")) == [county]


# What the apps' data migrations grant the offices (experts 0005, intake 0003).
EXPERT_RECORDS = {"add_expert", "change_expert", "view_expert", "add_unit", "change_unit", "delete_unit", "view_unit"}
OFFICE_GRANTS = {
    CITY_OFFICE: {
        "experts": EXPERT_RECORDS,
        "intake": {
            *("add_intakeitem", "change_intakeitem", "view_intakeitem", "supervise_intakeitem"),
            *("add_publicanswer", "change_publicanswer", "view_publicanswer", "publish_publicanswer"),
            *("add_replytemplate", "change_replytemplate", "delete_replytemplate", "view_replytemplate"),
            *("add_department", "change_department", "view_department"),
        },
    },
    COUNTY_OFFICE: {
        "experts": EXPERT_RECORDS,
        "intake": {
            *("add_intakeitem", "change_intakeitem", "view_intakeitem"),
            *("add_publicanswer", "change_publicanswer", "view_publicanswer"),
            *("view_replytemplate", "view_department"),
        },
    },
}


@pytest.mark.parametrize("group_name", OFFICE_GRANTS)
def test_the_offices_hold_the_permissions_their_apps_grant(group_name):
    group = Group.objects.get(name=group_name)
    for app_label, codenames in OFFICE_GRANTS[group_name].items():
        held = group.permissions.filter(content_type__app_label=app_label).values_list("codename", flat=True)
        assert set(held) == codenames


def historical_apps(app_label, migration_name):
    return MigrationExecutor(connection).loader.project_state((app_label, migration_name)).apps


def test_migration_helpers_grant_and_revoke_on_historical_models():
    apps = historical_apps("experts", "0005_staff_group_permissions")

    grant_permissions(apps, ["测试组", CITY_OFFICE], "experts", ["Unit"], ["view", "delete"])
    grant_permissions(apps, ["测试组"], "experts", ["unit"], ["view"])  # again: nothing doubles
    group = Group.objects.get(name="测试组")  # created when missing
    assert set(group.permissions.values_list("codename", flat=True)) == {"view_unit", "delete_unit"}
    # The permission the migrations made, renamed in Chinese after migrate (staff/permission_names.py).
    assert group.permissions.get(codename="view_unit").name == "可查看工作单位"

    revoke_permissions(apps, ["测试组"], "experts", ["unit"], ["delete"])
    assert list(group.permissions.values_list("codename", flat=True)) == ["view_unit"]
    assert Permission.objects.filter(codename="delete_unit").exists()  # the permission itself stays
    assert Group.objects.get(name=CITY_OFFICE).permissions.filter(codename="delete_unit").exists()


CHINESE_PERMISSION_NAMES = {"supervise_intakeitem": "可督办来信来访事项", "publish_publicanswer": "可发布公开答复"}


def intake_permission_names():
    permissions = Permission.objects.filter(content_type__app_label="intake", codename__in=CHINESE_PERMISSION_NAMES)
    return dict(permissions.values_list("codename", "name"))


def test_the_custom_permissions_are_named_in_chinese_on_a_fresh_database():
    assert intake_permission_names() == CHINESE_PERMISSION_NAMES


def test_grant_permissions_names_a_permission_as_its_model_declares_it():
    Permission.objects.filter(codename="supervise_intakeitem").delete()
    apps = historical_apps("intake", "0003_staff_group_permissions")
    grant_permissions(apps, [CITY_OFFICE], "intake", ["intakeitem"], ["supervise"])
    assert Permission.objects.get(codename="supervise_intakeitem").name == "可督办来信来访事项"


def test_english_names_of_an_older_database_become_chinese():
    Permission.objects.filter(codename="supervise_intakeitem").update(name="Can supervise 来信来访事项")
    Permission.objects.filter(codename="publish_publicanswer").update(name="Can publish 公开答复")
    migration = importlib.import_module("intake.migrations.0006_chinese_permission_names")
    migration.name_in_chinese(historical_apps("intake", "0006_chinese_permission_names"), None)
    assert intake_permission_names() == CHINESE_PERMISSION_NAMES


@pytest.fixture
def scoped_profiles(monkeypatch):
    """StaffProfile stands in for any level-scoped model: its rows have a level, and for the test
    it has the level-scoped policy that the apps register for their models."""
    monkeypatch.setitem(policy_registry.values_by_exact_class, StaffProfile, LevelScopedPermissionPolicy(StaffProfile))


def with_permissions(user, *actions):
    codenames = [f"{action}_staffprofile" for action in actions]
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="staff", codename__in=codenames))
    return User.objects.get(pk=user.pk)


def test_ensure_in_scope_hides_other_levels_and_refuses_a_missing_action(scoped_profiles):
    county = with_permissions(make_staff("county", Level.WUXUAN), "view")
    own = StaffProfile.objects.get(user=county)
    other = make_staff("other", Level.JINXIU).staff_profile

    assert ensure_in_scope(county, own) == own
    with pytest.raises(PermissionDenied):
        ensure_in_scope(county, own, "change")
    for action in (None, "view", "change"):  # another level's row does not exist, whatever the action
        with pytest.raises(Http404):
            ensure_in_scope(county, other, action)
    with pytest.raises(Http404):  # in the level, but the user's groups allow none of the actions
        ensure_in_scope(make_staff("bare", Level.WUXUAN), own)
    city = with_permissions(make_staff("city", Level.CITY), "change")
    assert ensure_in_scope(city, other, "change") == other


def test_ensure_in_scope_counts_only_the_given_actions(scoped_profiles):
    adder = with_permissions(make_staff("adder", Level.HESHAN), "add")
    own = StaffProfile.objects.get(user=adder)
    assert ensure_in_scope(adder, own) == own  # any action by default
    with pytest.raises(Http404):
        ensure_in_scope(adder, own, actions=["view", "change"])


class ProfileLookup:
    """What a Wagtail generic view does: find the object named in the URL."""

    def get_object(self):
        return StaffProfile.objects.get(pk=self.kwargs["pk"])


class ProfileObjectView(LevelScopedObjectMixin, ProfileLookup):
    object_action = "change"

    def __init__(self, request, pk):
        self.request, self.kwargs = request, {"pk": pk}


class ProfileIndexView(LevelScopedIndexMixin):
    model = StaffProfile
    scope_actions = ["view"]

    def __init__(self, request):
        self.request = request


def test_scoped_view_mixins_narrow_lists_and_objects_to_the_users_level(scoped_profiles, rf):
    request = rf.get("/")
    request.user = with_permissions(make_staff("county", Level.XINGBIN), "view")
    own = request.user.staff_profile
    neighbour = make_staff("neighbour", Level.XINGBIN).staff_profile
    other = make_staff("other", Level.HESHAN).staff_profile

    assert set(ProfileIndexView(request).get_base_queryset()) == {own, neighbour}
    with pytest.raises(Http404):
        ProfileObjectView(request, other.pk).get_object()
    with pytest.raises(PermissionDenied):  # may see it, may not change it
        ProfileObjectView(request, own.pk).get_object()

    request.user = with_permissions(request.user, "change")
    assert ProfileObjectView(request, own.pk).get_object() == own
    request.user = make_staff("no-permission", Level.XINGBIN)
    assert not ProfileIndexView(request).get_base_queryset().exists()


def request_by(user, address="10.1.2.3"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = user
    return request


def test_log_export_keeps_the_label_the_row_count_the_exporters_level_and_address():
    county = make_staff("county", Level.HESHAN)
    entry = log_export(request_by(county), "intake.export", StaffProfile, "导出工作人员（CSV）", 12, format="csv")
    assert (entry.user, entry.level, entry.label) == (county, Level.HESHAN, "导出工作人员（CSV）")
    assert entry.data == {"rows": 12, "format": "csv", "ip": "10.1.2.3", "result": "成功"}
    assert entry.message == "已导出 12 条"
    assert entry.content_type.model_class() is StaffProfile
    # City staff and superusers export every level: their entries belong to the city.
    city, root = make_staff("city", Level.CITY), make_staff("root", is_superuser=True)
    assert log_export(request_by(city), "intake.export", StaffProfile, "全部", 30).level == Level.CITY
    assert log_export(request_by(root), "intake.export", StaffProfile, "全部", 30).level == Level.CITY


def test_export_log_shows_each_level_only_its_own_exports_of_models_the_user_may_see():
    heshan = with_permissions(make_staff("heshan", Level.HESHAN), "view")
    wuxuan = with_permissions(make_staff("wuxuan", Level.WUXUAN), "view")
    city = with_permissions(make_staff("city", Level.CITY), "view")
    for user in (heshan, wuxuan, city):
        log_export(request_by(user), "intake.export", StaffProfile, f"{user.username}的导出", 1)

    def labels(user):
        return {entry.label for entry in ExportLogEntry.objects.viewable_by_user(user)}

    assert labels(heshan) == {"heshan的导出"}
    assert (
        labels(city) == labels(make_staff("root", is_superuser=True)) == {"heshan的导出", "wuxuan的导出", "city的导出"}
    )
    assert labels(make_staff("no-permission", Level.HESHAN)) == set()  # may not see the exported model
    assert labels(with_permissions(make_staff("no-level"), "view")) == set()


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("boss", password="pw"))
    return client


def user_form_data(username, level, *groups):
    return {
        "username": username,
        "email": f"{username}@example.cn",
        "first_name": "某",
        "last_name": "工作人员",
        "password1": "a-long-password-2026",
        "password2": "a-long-password-2026",
        "level": level,
        "groups": [Group.objects.get(name=name).pk for name in groups],
    }


def test_admin_creates_a_county_staff_member_with_a_level(admin_client):
    response = admin_client.post("/admin/users/new/", user_form_data("wx-staff", Level.WUXUAN, COUNTY_OFFICE))
    assert response.status_code == 302
    assert StaffProfile.objects.get(user__username="wx-staff").level == Level.WUXUAN


@pytest.mark.parametrize(
    ("level", "group", "message"),
    [
        ("", COUNTY_OFFICE, "必须设置所属县（市、区）"),
        (Level.CITY, COUNTY_OFFICE, "必须设置所属县（市、区）"),
        (Level.HESHAN, CITY_OFFICE, "属地必须为“市本级”"),
        ("", UNIT_LIAISONS, "“单位联络员”的成员必须设置属地"),
    ],
)
def test_admin_user_form_refuses_a_level_that_contradicts_the_group(admin_client, level, group, message):
    response = admin_client.post("/admin/users/new/", user_form_data("bad", level, group))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="bad").exists()


def test_admin_edit_form_shows_and_changes_the_level(admin_client):
    staff = make_staff("moving", Level.XINCHENG, COUNTY_OFFICE)
    edit_url = f"/admin/users/edit/{staff.pk}/"
    assert 'value="xincheng" selected' in admin_client.get(edit_url).content.decode()

    data = user_form_data("moving", Level.HESHAN, COUNTY_OFFICE)
    data.update(password1="", password2="", is_active="on")
    response = admin_client.post(edit_url, data)
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=staff).level == Level.HESHAN

    data.update(level="", groups=[])
    admin_client.post(edit_url, data)
    assert not StaffProfile.objects.filter(user=staff).exists()
