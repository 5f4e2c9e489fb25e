"""Demo expert database: about sixty fictional experts over every level, team, category and
unit type, a few removed with reasons, every third of those still in the database consenting to a
public profile, and a staff login for the city office and each county.

People's names follow the "surname + 某 + one character" pattern used for anonymised
persons, so that nobody mistakes them for real people; phones and mailboxes are unusable.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from base.building import upsert_user
from base.demo import DEMO_ADMIN_USERNAME, DEMO_PASSWORD
from staff.levels import Level
from staff.models import StaffProfile
from staff.roles import CITY_OFFICE, COUNTY_OFFICE

from .forms import ExpertForm
from .models import (
    Degree,
    Education,
    Expert,
    Gender,
    PoliticalStatus,
    RemovalReason,
    TalentCategory,
    TalentTeam,
    TitleLevel,
    Unit,
    UnitType,
)
from .services import confirm_reviews, create_expert, remove_expert, restore_expert

STAFF_USERS = [
    (Level.CITY, CITY_OFFICE, "rcb_city", "市委人才办"),
    (Level.XINGBIN, COUNTY_OFFICE, "rcb_xingbin", "兴宾区人才办"),
    (Level.HESHAN, COUNTY_OFFICE, "rcb_heshan", "合山市人才办"),
    (Level.XIANGZHOU, COUNTY_OFFICE, "rcb_xiangzhou", "象州县人才办"),
    (Level.WUXUAN, COUNTY_OFFICE, "rcb_wuxuan", "武宣县人才办"),
    (Level.XINCHENG, COUNTY_OFFICE, "rcb_xincheng", "忻城县人才办"),
    (Level.JINXIU, COUNTY_OFFICE, "rcb_jinxiu", "金秀瑶族自治县人才办"),
]

# (level, name, type): every level gets units of several types, together all seven.
UNITS = [
    (Level.CITY, "来宾市人民医院", UnitType.HOSPITAL),
    (Level.CITY, "来宾市第一中学", UnitType.SCHOOL),
    (Level.CITY, "来宾市农业科学研究所", UnitType.RESEARCH_INSTITUTE),
    (Level.CITY, "来宾市演示糖业有限公司", UnitType.ENTERPRISE),
    (Level.CITY, "来宾市社会工作协会", UnitType.SOCIAL_ORGANISATION),
    (Level.CITY, "来宾市工业和信息化局", UnitType.PUBLIC_INSTITUTION),
    (Level.XINGBIN, "兴宾区人民医院", UnitType.HOSPITAL),
    (Level.XINGBIN, "兴宾区演示农业专业合作社", UnitType.OTHER),
    (Level.XINGBIN, "兴宾区职业技术学校", UnitType.SCHOOL),
    (Level.HESHAN, "合山市人民医院", UnitType.HOSPITAL),
    (Level.HESHAN, "合山市演示新能源有限公司", UnitType.ENTERPRISE),
    (Level.XIANGZHOU, "象州县中学", UnitType.SCHOOL),
    (Level.XIANGZHOU, "象州县农业技术推广中心", UnitType.PUBLIC_INSTITUTION),
    (Level.WUXUAN, "武宣县人民医院", UnitType.HOSPITAL),
    (Level.WUXUAN, "武宣县演示建材有限公司", UnitType.ENTERPRISE),
    (Level.XINCHENG, "忻城县中医医院", UnitType.HOSPITAL),
    (Level.XINCHENG, "忻城县社会工作服务中心", UnitType.SOCIAL_ORGANISATION),
    (Level.JINXIU, "金秀瑶族自治县瑶医医院", UnitType.HOSPITAL),
    (Level.JINXIU, "金秀瑶族自治县林业科学研究所", UnitType.RESEARCH_INSTITUTE),
]

SURNAMES = "韦覃蓝黄莫潘陆梁廖蒙"
GIVEN = "明华林涛静远宁晨"
SPECIALTIES = {
    UnitType.HOSPITAL: ["心血管内科", "骨科", "儿科", "瑶医药", "中医康复"],
    UnitType.SCHOOL: ["高中数学", "职业教育", "英语教学"],
    UnitType.RESEARCH_INSTITUTE: ["甘蔗育种", "林下经济", "土壤肥料"],
    UnitType.ENTERPRISE: ["制糖工艺", "新能源", "企业管理"],
    UnitType.SOCIAL_ORGANISATION: ["社区治理", "社会工作"],
    UnitType.PUBLIC_INSTITUTION: ["产业规划", "农业技术推广"],
    UnitType.OTHER: ["水果种植", "农村电商"],
}
TITLES = {
    TitleLevel.SENIOR: "正高级职称",
    TitleLevel.DEPUTY_SENIOR: "副高级职称",
    TitleLevel.INTERMEDIATE: "中级职称",
    TitleLevel.OTHER: "",
}
EXPERT_COUNT = 60
# Index of the expert -> (removal reason, basis); expert 23 is later restored.
REMOVALS = {
    5: (RemovalReason.LEFT_CITY, "本人工作调动至区外，单位来函说明。"),
    17: (RemovalReason.NO_LONGER_ELIGIBLE, "年度调整复核：已退休且不再从事专业工作。"),
    23: (RemovalReason.OTHER, "本人申请暂时退出。"),
    41: (RemovalReason.DISCIPLINE, "依据有关部门处理决定（演示）。"),
    52: (RemovalReason.ACADEMIC_MISCONDUCT, "依据学术委员会调查结论（演示）。"),
}
RESTORED = {23: "本人申请恢复，经市委人才办研究同意。"}
REVIEWED_YEAR = 2025
# Every third expert still in the database agreed, when joining, to a public profile; they all
# show their title, and every other one of them their unit too.
ACTIVE_INDEXES = [index for index in range(EXPERT_COUNT) if index not in REMOVALS or index in RESTORED]
PUBLIC_PROFILE_SHOWS_UNIT = {index: position % 2 == 0 for position, index in enumerate(ACTIVE_INDEXES[::3])}


def build(demo):
    admin = get_user_model().objects.get(username=DEMO_ADMIN_USERNAME)
    _build_staff(demo)
    units = _build_units()
    experts = _build_experts(admin, units)
    consenting = sum(expert.public_profile_consent for expert in experts)
    demo.log(f"专家人才库：{len(units)} 个工作单位，{len(experts)} 名专家，其中 {consenting} 名同意公开简介")


def _build_staff(demo):
    for level, group_name, username, first_name in STAFF_USERS:
        user = upsert_user(username, DEMO_PASSWORD, first_name=first_name, email=f"{username}@example.invalid")
        user.groups.add(Group.objects.get(name=group_name))
        StaffProfile.objects.update_or_create(user=user, defaults={"level": level})
        demo.add_login(f"{first_name}（{level.label}，{group_name}）", username, DEMO_PASSWORD)


def _build_units():
    return [
        Unit.objects.get_or_create(name=name, level=level, defaults={"unit_type": unit_type})[0]
        for level, name, unit_type in UNITS
    ]


def _expert_data(index, units, categories):
    levels = list(Level)
    level = levels[index % len(levels)]
    level_units = [unit for unit in units if unit.level == level]
    unit = level_units[(index // len(levels)) % len(level_units)]
    team = list(TalentTeam)[index % len(TalentTeam)]
    title_level = list(TitleLevel)[index % len(TitleLevel)]
    specialties = SPECIALTIES[UnitType(unit.unit_type)]
    expert_categories = [categories[index % len(categories)]]
    if index % 4 == 0:
        expert_categories.append(categories[(index + 3) % len(categories)])
    joined_on = datetime.date(2021 + index % 5, 1 + index % 12, 1 + index % 28)
    data = {
        "name": f"{SURNAMES[index % len(SURNAMES)]}某{GIVEN[(index // len(SURNAMES)) % len(GIVEN)]}",
        "gender": list(Gender)[index % 2],
        "ethnicity": ["汉族", "壮族", "瑶族"][index % 3],
        "birth_date": datetime.date(1965 + index % 25, 1 + index % 12, 1 + index % 27).isoformat(),
        "political_status": list(PoliticalStatus)[index % len(PoliticalStatus)],
        "education": list(Education)[index % 4],
        "degree": list(Degree)[index % 4],
        "professional_title": TITLES[title_level],
        "title_level": title_level,
        "position": ["科室主任", "副院长", "高级工程师", "技术骨干", ""][index % 5],
        "specialty": specialties[index % len(specialties)],
        "level": level,
        "unit": unit.pk,
        "mobile": f"1380000{index:04d}",
        "email": f"expert{index:02d}@example.invalid",
        "talent_team": team,
        "categories": [category.pk for category in expert_categories],
        "joined_on": joined_on.isoformat(),
        "notes": "演示数据：人物为虚构。",
    }
    if index in PUBLIC_PROFILE_SHOWS_UNIT:
        data.update(
            public_profile_consent=True,
            public_profile_consent_on=joined_on.isoformat(),
            public_shows_unit=PUBLIC_PROFILE_SHOWS_UNIT[index],
            public_shows_title=True,
        )
    return data


def _build_experts(admin, units):
    categories = list(TalentCategory.objects.all())
    experts = []
    for index in range(EXPERT_COUNT):
        data = _expert_data(index, units, categories)
        expert = Expert.objects.filter(name=data["name"], unit_id=data["unit"]).first()
        if expert is None:
            expert = _create(index, data, admin)
        experts.append(expert)
    return experts


def _create(index, data, admin):
    form = ExpertForm(data=data, for_user=admin)
    if not form.is_valid():
        raise ValueError(f"demo expert {index} is invalid: {form.errors.as_json()}")
    expert = create_expert(form, user=admin)
    if index in REMOVALS:
        reason, basis = REMOVALS[index]
        removed_on = expert.joined_on + datetime.timedelta(days=200)
        remove_expert(expert, date=removed_on, reason=reason, basis=basis, user=admin)
        if index in RESTORED:
            restored_on = removed_on + datetime.timedelta(days=90)
            restore_expert(expert, date=restored_on, basis=RESTORED[index], user=admin)
    if index % 3 == 0 and expert.joined_on.year <= REVIEWED_YEAR:
        confirm_reviews([expert], year=REVIEWED_YEAR, user=admin)
    return expert
