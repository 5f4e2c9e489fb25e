"""The expert form's rules: bad input is refused next to the field, duplicates point to the record."""

import pytest

from experts.forms import ExpertForm, RemovalForm, UnitForm
from experts.models import Expert, StatusChangeKind
from experts.services import remove_expert
from staff.levels import Level

from .experts_builders import days_ago, expert_data, make_expert, make_staff, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_user():
    return make_staff("city", Level.CITY)


@pytest.fixture
def county_user():
    return make_staff("xingbin", Level.XINGBIN)


def errors_for(user, for_unit=None, **overrides):
    data = expert_data(for_unit)
    data.update(overrides)
    form = ExpertForm(data=data, for_user=user)
    assert not form.is_valid()
    return form.errors


def test_valid_data_passes(city_user):
    assert ExpertForm(data=expert_data(), for_user=city_user).is_valid()


@pytest.mark.parametrize("mobile", ["1380000", "23800000000", "1380000000a", "138-000-000"])
def test_bad_mobile_numbers_are_refused(city_user, mobile):
    assert errors_for(city_user, mobile=mobile)["mobile"] == ["请输入11位手机号码，例如 13800000000。"]


def test_too_long_mobile_numbers_are_refused(city_user):
    assert "mobile" in errors_for(city_user, mobile="138000000001")


def test_bad_email_is_refused(city_user):
    assert "email" in errors_for(city_user, email="not-an-address")


def test_birth_date_in_the_future_is_refused(city_user):
    assert errors_for(city_user, birth_date=days_ago(-1).isoformat())["birth_date"] == ["出生日期不能晚于今天。"]


def test_joined_date_in_the_future_is_refused(city_user):
    assert errors_for(city_user, joined_on=days_ago(-1).isoformat())["joined_on"] == ["入库日期不能晚于今天。"]


@pytest.mark.parametrize("field", ["name", "gender", "political_status", "title_level", "level", "unit", "talent_team"])
def test_required_fields(city_user, field):
    assert field in errors_for(city_user, **{field: ""})


def test_at_least_one_category(city_user):
    assert "categories" in errors_for(city_user, categories=[])


def test_same_name_at_the_same_unit_is_a_duplicate_with_a_link(city_user):
    existing = make_expert(city_user, name="韦某明")
    errors = errors_for(city_user, existing.unit, name="韦某明")
    assert "重复" in errors["name"][0]
    assert f'href="/admin/experts/inspect/{existing.pk}/"' in errors["name"][0]


def test_same_name_at_another_unit_is_not_a_duplicate(city_user):
    make_expert(city_user, name="韦某明")
    other_unit = make_unit("来宾市第一中学")
    assert ExpertForm(data=expert_data(other_unit, name="韦某明"), for_user=city_user).is_valid()


def test_same_mobile_is_a_duplicate_even_for_a_removed_expert(city_user):
    existing = make_expert(city_user, mobile="13912345678")
    remove_expert(existing, date=days_ago(0), reason="other", basis="", user=city_user)
    errors = errors_for(city_user, mobile="13912345678")
    assert "已调出" in errors["mobile"][0]


def test_a_duplicate_in_another_county_is_named_but_not_linked(city_user, county_user):
    make_expert(city_user, unit=make_unit("合山市人民医院", Level.HESHAN), mobile="13912345678")
    own_unit = make_unit("兴宾区人民医院", Level.XINGBIN)
    errors = ExpertForm(data=expert_data(own_unit, mobile="13912345678"), for_user=county_user).errors
    assert "不在您的属地范围内" in errors["mobile"][0]
    assert "href" not in errors["mobile"][0]


def test_editing_a_record_does_not_find_itself_as_a_duplicate(city_user):
    expert = make_expert(city_user)
    data = expert_data(expert.unit, name=expert.name, mobile=expert.mobile)
    assert ExpertForm(data=data, instance=expert, for_user=city_user).is_valid()


def test_the_entry_date_cannot_be_changed_on_edit(city_user):
    expert = make_expert(city_user, joined_on="2024-03-01")
    data = expert_data(expert.unit, name=expert.name, mobile=expert.mobile, joined_on="2020-01-01")
    form = ExpertForm(data=data, instance=expert, for_user=city_user)
    assert form.is_valid()
    assert form.cleaned_data["joined_on"].isoformat() == "2024-03-01"


def test_county_staff_may_only_choose_their_level_and_its_units(county_user):
    form = ExpertForm(for_user=county_user)
    assert [value for value, _ in form.fields["level"].widget.choices if value] == [Level.XINGBIN]
    own_unit = make_unit("兴宾区人民医院", Level.XINGBIN)
    city_unit = make_unit("来宾市人民医院", Level.CITY)
    assert list(ExpertForm(for_user=county_user).fields["unit"].queryset) == [own_unit]

    errors = errors_for(county_user, city_unit)
    assert errors["level"] == ["您只能录入本属地的记录。"]
    assert "unit" in errors


def test_unit_and_expert_must_share_a_level(city_user):
    heshan_unit = make_unit("合山市人民医院", Level.HESHAN)
    errors = errors_for(city_user, heshan_unit, level=Level.CITY)
    assert "与专家的属地不一致" in errors["unit"][0]


def test_consent_needs_its_date_and_public_choices_need_consent(city_user):
    assert "public_profile_consent_on" in errors_for(city_user, public_profile_consent="on")
    assert "public_profile_consent" in errors_for(city_user, public_shows_unit="on")
    data = expert_data(public_profile_consent="on", public_profile_consent_on="2024-03-01", public_shows_unit="on")
    assert ExpertForm(data=data, for_user=city_user).is_valid()


def test_removal_form_reports_the_status_rule(city_user):
    expert = make_expert(city_user, joined_on=days_ago(3).isoformat())
    form = RemovalForm(
        data={"date": days_ago(5).isoformat(), "reason": "other", "basis": "说明"},
        expert=expert,
        kind=StatusChangeKind.REMOVED,
    )
    assert not form.is_valid()
    assert "不能早于上一次变动" in form.errors["date"][0]
    assert Expert.objects.get(pk=expert.pk).status == "active"


def test_a_unit_with_experts_keeps_its_level(city_user):
    expert = make_expert(city_user)
    data = {"name": expert.unit.name, "unit_type": expert.unit.unit_type, "level": Level.HESHAN}
    form = UnitForm(data=data, instance=expert.unit, for_user=city_user)
    assert form.errors["level"] == ["该单位已有专家记录，不能更改属地。"]
    empty_unit = make_unit("空单位")
    data = {"name": "空单位", "unit_type": "other", "level": Level.HESHAN}
    assert UnitForm(data=data, instance=empty_unit, for_user=city_user).is_valid()


def test_unit_names_are_unique_per_level(city_user):
    make_unit("来宾市人民医院")
    data = {"name": "来宾市人民医院", "unit_type": "hospital", "level": Level.CITY}
    assert UnitForm(data=data, for_user=city_user).errors["__all__"] == ["本属地已有同名单位。"]
    data["level"] = Level.HESHAN
    assert UnitForm(data=data, for_user=city_user).is_valid()
