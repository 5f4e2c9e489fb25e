"""Demo guidance records: study sessions, grassroots trips, recommendations and party development
files at the city and several counties, this year and last, each recorded by its level's demo
office login (experts/demo.py). Dates count back from today. Each row is found again by a key of
its own (topic, served place, body, expert), so a second run adds only what is missing."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from experts.demo import STAFF_USERS
from experts.models import Expert, ExpertStatus, PoliticalStatus
from staff.levels import Level

from .models import (
    MILESTONES,
    GrassrootsTrip,
    PartyDevelopment,
    Recommendation,
    RecommendationKind,
    RecommendationOutcome,
    StudyAttendance,
    StudyKind,
    StudySession,
    TripAttendance,
)

# (level, kind, days ago, days it lasts (None: one day), place, topic, organiser, experts: level -> positions).
STUDIES = [
    (
        Level.CITY,
        StudyKind.TRAINING,
        30,
        3,
        "来宾市委党校",
        "学习党的理论和路线方针政策专题研修班（演示）",
        "市委组织部",
        {Level.CITY: range(6), Level.XINGBIN: [0]},
    ),
    (
        Level.CITY,
        StudyKind.NATIONAL_CONDITIONS,
        400,
        5,
        "井冈山干部学院",
        "专家人才国情研修班（演示）",
        "市委人才办",
        {Level.CITY: range(4), Level.HESHAN: [0]},
    ),
    (
        Level.XINGBIN,
        StudyKind.TRAINING,
        80,
        None,
        "兴宾区委党校",
        "社会主义核心价值观和奉献精神教育（演示）",
        "兴宾区委组织部",
        {Level.XINGBIN: range(5)},
    ),
    (
        Level.XIANGZHOU,
        StudyKind.TRAINING,
        150,
        2,
        "象州县委党校",
        "中国特色社会主义理论体系专题培训（演示）",
        "象州县委组织部",
        {Level.XIANGZHOU: range(4)},
    ),
    (
        Level.JINXIU,
        StudyKind.NATIONAL_CONDITIONS,
        380,
        2,
        "金秀瑶族自治县委党校",
        "区情县情研修：民族地区发展专题（演示）",
        "金秀瑶族自治县委组织部",
        {Level.JINXIU: range(3)},
    ),
]
# (level, days ago, township or village served, place, topic, problems solved, experts).
TRIPS = [
    (
        Level.CITY,
        50,
        "兴宾区演示镇演示村",
        "演示村村委会",
        "甘蔗良种推广与病虫害防治（演示）",
        "解决甘蔗螟虫防治难题，培训种植户40余人次。",
        {Level.CITY: [2, 3], Level.XINGBIN: [1]},
    ),
    (
        Level.XINGBIN,
        120,
        "兴宾区演示乡演示屯",
        "演示乡卫生院",
        "基层义诊与慢病管理指导（演示）",
        "为村民义诊120人次，指导卫生院建立慢病随访台账。",
        {Level.XINGBIN: [0, 2]},
    ),
    (
        Level.HESHAN,
        200,
        "合山市演示镇",
        "演示镇中心学校",
        "乡村教师教学能力提升（演示）",
        "",
        {Level.HESHAN: range(3)},
    ),
    (
        Level.WUXUAN,
        420,
        "武宣县演示镇演示村",
        "演示村种养合作社",
        "特色种养技术对接交流（演示）",
        "帮助合作社解决水产养殖水质调控问题。",
        {Level.WUXUAN: [0, 1]},
    ),
]
# (level, position among the level's active experts, kind, days ago, body, outcome, note).
RECOMMENDATIONS = [
    (
        Level.CITY,
        0,
        RecommendationKind.PARTY_CONGRESS,
        380,
        "中国共产党来宾市代表大会（演示）",
        RecommendationOutcome.DONE,
        "",
    ),
    (Level.CITY, 1, RecommendationKind.CPPCC, 300, "政协来宾市委员会（演示）", RecommendationOutcome.DONE, ""),
    (
        Level.XINGBIN,
        0,
        RecommendationKind.PEOPLES_CONGRESS,
        90,
        "兴宾区人民代表大会（演示）",
        RecommendationOutcome.PENDING,
        "等待换届选举结果。",
    ),
    (Level.XIANGZHOU, 0, RecommendationKind.MEETING, 60, "象州县委全体会议（演示）", RecommendationOutcome.DONE, ""),
    (
        Level.JINXIU,
        1,
        RecommendationKind.SECONDMENT,
        200,
        "金秀瑶族自治县科学技术局（演示）",
        RecommendationOutcome.DONE,
        "挂职一年，任副局长。",
    ),
    (
        Level.HESHAN,
        1,
        RecommendationKind.POST,
        420,
        "合山市工业和信息化局（演示）",
        RecommendationOutcome.NOT_DONE,
        "本人志在科研一线，婉拒任职。",
    ),
]
# (level, contact person, days ago of each milestone reached, in order; the file opens with the first).
PARTY_FILES = [
    (Level.CITY, "覃某华（市直机关工委组织科科长）", [700, 520, 330, 200]),
    (Level.XINGBIN, "黄某东（兴宾区人民医院党委副书记）", [400, 250]),
    (Level.XINCHENG, "韦某玲（忻城县委组织部干部）", [60]),
    (Level.WUXUAN, "蓝某强（武宣县委人才办副主任）", [900, 720, 520, 480, 90]),
]


def build(demo):
    today = timezone.localdate()
    offices = {level: get_user_model().objects.get(username=username) for level, _, username, _ in STAFF_USERS}
    experts = {
        level: list(Expert.objects.filter(level=level, status=ExpertStatus.ACTIVE).order_by("pk")) for level in Level
    }

    def chosen(positions):
        return [experts[level][i] for level, indexes in positions.items() for i in indexes if i < len(experts[level])]

    def ago(days):
        return today - datetime.timedelta(days=days)

    for level, kind, days, length, place, topic, organiser, positions in STUDIES:
        end_date = ago(days) + datetime.timedelta(days=length - 1) if length else None
        session, created = StudySession.objects.get_or_create(
            topic=topic,
            defaults={
                "level": level,
                "recorded_by": offices[level],
                "kind": kind,
                "date": ago(days),
                "end_date": end_date,
                "place": place,
                "organiser": organiser,
            },
        )
        if created:
            StudyAttendance.objects.bulk_create(
                StudyAttendance(activity=session, expert=expert) for expert in chosen(positions)
            )

    for level, days, served, place, topic, problems, positions in TRIPS:
        trip, created = GrassrootsTrip.objects.get_or_create(
            served=served,
            topic=topic,
            defaults={
                "level": level,
                "recorded_by": offices[level],
                "date": ago(days),
                "place": place,
                "problems_solved": problems,
            },
        )
        if created:
            TripAttendance.objects.bulk_create(
                TripAttendance(activity=trip, expert=expert) for expert in chosen(positions)
            )

    for level, position, kind, days, body, outcome, note in RECOMMENDATIONS:
        Recommendation.objects.get_or_create(
            expert=experts[level][position],
            kind=kind,
            body=body,
            defaults={
                "level": level,
                "recorded_by": offices[level],
                "date": ago(days),
                "outcome": outcome,
                "note": note,
            },
        )

    for level, contact_person, days in PARTY_FILES:
        # Only an expert not yet a member has a file; the first such expert of the level.
        expert = next(e for e in experts[level] if e.political_status != PoliticalStatus.CPC_MEMBER)
        PartyDevelopment.objects.get_or_create(
            expert=expert,
            defaults={
                "level": level,
                "recorded_by": offices[level],
                "date": ago(days[0]),
                "contact_person": contact_person,
                **{name: ago(n) for name, n in zip(MILESTONES, days, strict=False)},
            },
        )

    demo.log(
        f"政治引领：研修培训 {StudySession.objects.count()} 次，人才下基层 {GrassrootsTrip.objects.count()} 次，"
        f"推荐与吸纳 {Recommendation.objects.count()} 条，发展党员档案 {PartyDevelopment.objects.count()} 份"
    )
