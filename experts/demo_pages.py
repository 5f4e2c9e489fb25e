"""Demo public profiles: one for each expert in the database who agreed to a public profile.

Who agreed is recorded by the expert database's demo (experts.demo); this builder only
publishes their pages. Only what the expert agreed to is copied onto the page: the unit
and the title only when the matching consent flag is set. Photos are drawn silhouettes.
"""

from base.building import upsert_page
from home.demo_images import demo_image

from .models import Expert, ExpertStatus, UnitType
from .models.pages import ExpertProfilePage

# The public "field" the directory filters by, from the kind of unit the expert works in.
FIELD_BY_UNIT_TYPE = {
    UnitType.HOSPITAL: "医疗卫生",
    UnitType.SCHOOL: "教育教学",
    UnitType.RESEARCH_INSTITUTE: "农林科研",
    UnitType.ENTERPRISE: "工业和企业管理",
    UnitType.SOCIAL_ORGANISATION: "社会工作",
    UnitType.PUBLIC_INSTITUTION: "产业发展",
    UnitType.OTHER: "乡村振兴",
}


def profile_slug(expert):
    return f"expert-{expert.pk}"


def build(demo):
    directory = demo.pages["experts"]
    consenting = (
        Expert.objects.filter(public_profile_consent=True, status=ExpertStatus.ACTIVE)
        .select_related("unit")
        .order_by("pk")
    )
    profiles = []
    for expert in consenting:
        field = FIELD_BY_UNIT_TYPE[UnitType(expert.unit.unit_type)]
        title = "，".join(part for part in (expert.professional_title, expert.position) if part)
        profiles.append(
            upsert_page(
                directory,
                ExpertProfilePage,
                profile_slug(expert),
                title=expert.name,
                expert=expert,
                photo=demo_image(f"演示照片：{expert.name}", expert.pk, kind="portrait"),
                unit_name=expert.unit.name if expert.public_shows_unit else "",
                professional_title=title if expert.public_shows_title else "",
                field=field,
                talent_team=expert.talent_team,
                summary=f"{expert.name}，长期从事{expert.specialty or field}工作，是来宾市{expert.get_talent_team_display()}队伍中的优秀代表。",
                achievements=(
                    f"<ul><li>深耕{expert.specialty or field}领域多年，带出一支骨干团队。</li>"
                    "<li>积极参加“人才下基层”活动，为群众和企业解决实际问题。</li>"
                    "<li>演示数据：人物和事迹均为虚构。</li></ul>"
                ),
            )
        )
    demo.log(f"专家公开简介：{len(profiles)} 位本人同意公开的专家")
