"""Demo decision consulting: industry development groups of the city and two counties, consultations
at every stage (adopted, partly adopted, not adopted, awaiting feedback; one asking a group), and
popular-science activities, this year and last.

Recorded by each level's talent office login (experts/demo.py); a group consulted lists its members
as the experts consulted, as the form does. Dates count back from today (clamped to this year's
first day) or fall on a day of last year. Each row is found again by its name or subject, so a
second run adds only what is missing.
"""

from django.utils import timezone

from experts.models import Expert
from programme.demo import dated, experts_by_level, office_users, pick, record_activity
from staff.levels import Level

from .models import Adoption, Consultation, ConsultationStage, GroupMembership, IndustryGroup, PopularScience

# (level, name, sector, members by position among the level's active experts (the first leads), when)
# `when`: days before today in this year, or (month, day) of last year.
GROUPS = [
    (Level.CITY, "糖业产业发展小组", "蔗糖精深加工与综合利用", [0, 1, 2, 3], (3, 15)),
    (Level.CITY, "现代农业产业发展小组", "特色种养与农产品加工", [4, 5, 6], 40),
    (Level.XINGBIN, "兴宾区健康产业发展小组", "医疗卫生与健康养老", [0, 1, 2], (9, 1)),
    (Level.XIANGZHOU, "象州县文旅产业发展小组", "温泉康养与乡村旅游", [0, 1], 20),
]
# (level, matter, stage, groups consulted, experts by position, when, advice, adoption, adopting body)
CONSULTATIONS = [
    (
        Level.CITY,
        "来宾市糖业高质量发展三年行动方案",
        ConsultationStage.BEFORE,
        ["糖业产业发展小组"],
        [],
        30,
        "建议以甘蔗全程机械化为抓手，延伸蔗渣、糖蜜综合利用产业链。",
        Adoption.ADOPTED,
        "来宾市工业和信息化局",
    ),
    (
        Level.CITY,
        "来宾市高标准农田建设项目",
        ConsultationStage.DURING,
        ["现代农业产业发展小组"],
        [7],
        10,
        "建议同步建设水肥一体化设施，分片验收。",
        Adoption.PARTLY,
        "来宾市农业农村局",
    ),
    (
        Level.CITY,
        "来宾市人才发展规划中期评估",
        ConsultationStage.AFTER,
        [],
        [1, 8],
        (11, 20),
        "建议增加青年人才安居和子女入学保障措施。",
        Adoption.ADOPTED,
        "中共来宾市委人才工作领导小组办公室",
    ),
    (
        Level.XINGBIN,
        "兴宾区紧密型县域医共体建设实施方案",
        ConsultationStage.BEFORE,
        ["兴宾区健康产业发展小组"],
        [],
        5,
        "建议先在三个乡镇卫生院试点远程会诊。",
        Adoption.PENDING,
        "",
    ),
    (
        Level.HESHAN,
        "合山市采煤沉陷区生态修复项目",
        ConsultationStage.DURING,
        [],
        [0, 1],
        (6, 10),
        "建议修复与光伏项目结合，分期实施。",
        Adoption.NOT_ADOPTED,
        "",
    ),
    (
        Level.XIANGZHOU,
        "象州县温泉康养旅游区规划",
        ConsultationStage.BEFORE,
        ["象州县文旅产业发展小组"],
        [2],
        15,
        "建议规划预留康复医疗用地，联动县人民医院。",
        Adoption.PARTLY,
        "象州县文化广电体育和旅游局",
    ),
]
# (level, topic, place, audience, audience size, experts by position, when)
SCIENCE = [
    (Level.CITY, "走进校园：身边的农业科学", "来宾市第一中学", "中学生", 320, [4, 5], 25),
    (Level.XINGBIN, "甘蔗病虫害绿色防控", "兴宾区凤凰镇", "蔗农", 120, [0, 3], 12),
    (Level.WUXUAN, "合理用药进社区", "武宣县武宣镇城南社区", "社区居民", 85, [0], 50),
    (Level.JINXIU, "瑶医药与健康生活", "金秀瑶族自治县长垌乡", "村民", 150, [0, 1], (10, 18)),
    (Level.XINCHENG, "防灾减灾科普讲座", "忻城县城关镇中心小学", "小学生及家长", 200, [1], (5, 12)),
]


def build(demo):
    today = timezone.localdate()
    offices = office_users()
    experts = experts_by_level()
    groups = {}
    for level, name, sector, positions, when in GROUPS:
        members = pick(experts, level, positions)
        groups[name] = IndustryGroup.objects.filter(name=name, level=level).first() or record_activity(
            IndustryGroup,
            members,
            level,
            offices[level],
            date=dated(today, when),
            name=name,
            sector=sector,
            lead=members[0],
            notes="演示数据。",
        )
    for level, matter, stage, group_names, positions, when, advice, adoption, body in CONSULTATIONS:
        if Consultation.objects.filter(matter=matter, level=level).exists():
            continue
        consulted = [groups[name] for name in group_names]
        members = Expert.objects.filter(
            pk__in=GroupMembership.objects.filter(activity__in=consulted).values("expert_id")
        )
        chosen = {*pick(experts, level, positions), *members}
        consultation = record_activity(
            Consultation,
            sorted(chosen, key=lambda expert: expert.pk),
            level,
            offices[level],
            date=dated(today, when),
            matter=matter,
            stage=stage,
            advice=advice,
            adoption=adoption,
            adopting_body=body,
        )
        consultation.groups.set(consulted)
    for level, topic, place, audience, size, positions, when in SCIENCE:
        if PopularScience.objects.filter(topic=topic, level=level).exists():
            continue
        record_activity(
            PopularScience,
            pick(experts, level, positions),
            level,
            offices[level],
            date=dated(today, when),
            topic=topic,
            place=place,
            audience=audience,
            audience_size=size,
        )
    demo.log(
        f"决策咨询：{IndustryGroup.objects.count()} 个产业发展小组，{Consultation.objects.count()} 次决策咨询，"
        f"{PopularScience.objects.count()} 场科普活动"
    )
