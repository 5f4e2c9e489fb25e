"""Demo liaison work: city and county leaders (two under quota) with their offices, pairings (some
ended), a year of contacts up to today (holiday visits, group activities, field visits), follow-ups
(some overdue), five reports at every stage with a sent-back one, and a leader, a leader's office
and a unit liaison login.

Pairings end, reports move and must-visits are done through liaison.services, as the admin does;
dates count back from today, so the calendar and the leader's page show done, due and overdue work.
Each row is found again by a key of its own (names, summaries, details), so a second run adds only
what is missing. Names are fictional ("surname + 某 + one character", as in experts/demo.py).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.log_actions import log

from base.building import upsert_user
from base.demo import DEMO_PASSWORD
from experts.demo import STAFF_USERS
from experts.models import Expert, ExpertStatus, Unit
from staff.levels import Level
from staff.models import StaffProfile
from staff.roles import LEADER_OFFICES, LEADERS, UNIT_LIAISONS

from . import services
from .calendar import occasions
from .models import (
    Body,
    ContactKind,
    ContactMethod,
    ContactRecord,
    EventKind,
    EventReport,
    FollowUp,
    FollowUpStatus,
    Leader,
    LeaderOffice,
    Pairing,
)

# (level, body, name, post); the first has the demo leader login. 莫某军 and 陆某刚 stay under quota.
LEADERS_DATA = [
    (Level.CITY, Body.PARTY, "韦某军", "市委副书记"),
    (Level.CITY, Body.PARTY, "覃某志", "市委常委、组织部部长"),
    (Level.CITY, Body.CONGRESS, "蓝某平", "市人大常委会副主任"),
    (Level.CITY, Body.GOVERNMENT, "黄某强", "副市长"),
    (Level.CITY, Body.CPPCC, "莫某军", "市政协副主席"),
    (Level.XINGBIN, Body.PARTY, "潘某勇", "兴宾区委书记"),
    (Level.XINGBIN, Body.GOVERNMENT, "陆某刚", "兴宾区区长"),
    (Level.XIANGZHOU, Body.PARTY, "梁某平", "象州县委副书记"),
    (Level.JINXIU, Body.GOVERNMENT, "廖某志", "金秀瑶族自治县副县长"),
]
LEADER_USERNAME = "lingdao"
OFFICE_USERNAME = "shiweiban"
LIAISON_USERNAME = "lianluoyuan"
LIAISON_UNITS = ["兴宾区人民医院", "兴宾区职业技术学校"]

# (leader, the expert's level, position among that level's active experts by pk, days since it
# started, days since it ended or None). Started 500 days ago: the pairing spans the last year.
PAIRINGS = [
    ("韦某军", Level.CITY, 0, 500, None),
    ("韦某军", Level.CITY, 1, 500, None),
    ("韦某军", Level.XINGBIN, 0, 500, None),
    ("覃某志", Level.CITY, 2, 500, None),
    ("覃某志", Level.CITY, 3, 500, None),
    ("覃某志", Level.CITY, 4, 500, None),
    ("蓝某平", Level.CITY, 5, 500, None),
    ("蓝某平", Level.CITY, 6, 150, None),
    ("黄某强", Level.CITY, 7, 500, None),
    ("黄某强", Level.CITY, 8, 500, None),
    ("黄某强", Level.CITY, 1, 500, 200),
    ("莫某军", Level.CITY, 0, 500, None),
    ("潘某勇", Level.XINGBIN, 0, 500, None),
    ("潘某勇", Level.XINGBIN, 2, 500, None),
    ("潘某勇", Level.XINGBIN, 3, 500, None),
    ("陆某刚", Level.XINGBIN, 4, 500, 100),
    ("梁某平", Level.XIANGZHOU, 0, 500, None),
    ("梁某平", Level.XIANGZHOU, 1, 500, None),
    ("廖某志", Level.JINXIU, 0, 500, None),
    ("廖某志", Level.JINXIU, 1, 500, None),
]
# Holiday visits the demo leaves undone, so that the calendar shows overdue ones: the leader makes
# no holiday visit to the experts owed the day within its window, as one for a nearby day (国庆节
# near 中秋节) would count for it too.
SKIPPED_VISITS = {("黄某强", "中秋节"), ("梁某平", "春节"), ("覃某志", "全国科技工作者日"), ("韦某军", "中国医师节")}

# Group activities: (kind, method, days ago, leaders, experts as (level, positions or None for all
# paired ones of the level), level recorded at, summary).
GROUP_ACTIVITIES = [
    (
        ContactKind.SYMPOSIUM,
        ContactMethod.IN_PERSON,
        120,
        ["韦某军", "覃某志", "黄某强"],
        [(Level.CITY, None), (Level.XINGBIN, [0, 2])],
        Level.CITY,
        "来宾市专家人才座谈会：听取专家对产业发展和人才政策的意见建议（演示）。",
    ),
    (
        ContactKind.ONLINE,
        ContactMethod.ONLINE,
        60,
        ["覃某志"],
        [(Level.CITY, None), (Level.XINGBIN, None), (Level.XIANGZHOU, None), (Level.JINXIU, None)],
        Level.CITY,
        "“人才来宾”线上交流群专题互动：解读新出台的人才政策并回答专家提问（演示）。",
    ),
    (
        ContactKind.BRIEFING,
        ContactMethod.IN_PERSON,
        200,
        ["韦某军", "蓝某平"],
        [(Level.CITY, None)],
        Level.CITY,
        "向专家人才通报全市经济社会发展和人才工作情况（演示）。",
    ),
    (
        ContactKind.STUDY,
        ContactMethod.IN_PERSON,
        90,
        ["覃某志"],
        [(Level.CITY, [0, 1, 2, 3, 4, 5]), (Level.XINGBIN, [0])],
        Level.CITY,
        "专家人才国情区情市情研修班：赴市内重点产业园区考察学习（演示）。",
    ),
    (
        ContactKind.SYMPOSIUM,
        ContactMethod.IN_PERSON,
        45,
        ["潘某勇"],
        [(Level.XINGBIN, None)],
        Level.XINGBIN,
        "兴宾区专家人才座谈交流会（演示）。",
    ),
    (
        ContactKind.WORK_REPORT,
        ContactMethod.IN_PERSON,
        30,
        ["韦某军"],
        [(Level.CITY, [0])],
        Level.CITY,
        "专家向联系领导汇报科研项目进展（演示）。",
    ),
]
# Field visits that raised problems: (leader, expert's level, position, days ago, [(problem, owner,
# days until due (negative: past), status, leader's attention, outcome)]).
FIELD_VISITS = [
    (
        "韦某军",
        Level.CITY,
        0,
        40,
        [
            ("子女就近入学有困难", "市教育局", -10, FollowUpStatus.OPEN, True, ""),
            ("科研用房不足，希望协调实验场地", "市科学技术局", 30, FollowUpStatus.IN_PROGRESS, False, ""),
        ],
    ),
    (
        "覃某志",
        Level.CITY,
        2,
        70,
        [
            ("咨询正高级职称评审政策", "市人力资源和社会保障局", -40, FollowUpStatus.SOLVED, False, "已当面解读政策。"),
            ("实验设备采购资金未到位", "市财政局", -5, FollowUpStatus.OPEN, False, ""),
        ],
    ),
    (
        "潘某勇",
        Level.XINGBIN,
        3,
        50,
        [
            (
                "配偶随调安置",
                "兴宾区人力资源和社会保障局",
                -20,
                FollowUpStatus.UNSOLVABLE,
                False,
                "暂无对口岗位，已说明情况。",
            )
        ],
    ),
]
# Five reports about the liaison's units' experts: (expert's position among Xingbin's active experts,
# kind, days ago, details, steps). Steps: "county"/"city" accept at that office, "return" sends back.
REPORTS = [
    (0, EventKind.ACHIEVEMENT, 35, "荣获自治区科学技术进步奖二等奖（演示）。", ["county", "city"]),
    (2, EventKind.HEALTH, 12, "因病住院治疗，需要关心慰问（演示）。", ["county", "city"]),
    (3, EventKind.POST_CHANGE, 20, "任兴宾区人民医院副院长（演示）。", ["county"]),
    (5, EventKind.MAJOR_ACTIVITY, 6, "应邀参加全国职业院校技能大赛指导工作（演示）。", []),
    (6, EventKind.FAMILY_EVENT, 8, "家中突发重大变故（演示）。", ["return"]),
]
RETURN_COMMENT = "请补充具体情况和单位意见后重新报送。"


def build(demo):
    # The talent office's demo login of each level (experts/demo.py) records that level's contacts.
    usernames = {level: username for level, _, username, _ in STAFF_USERS}
    offices = {level: get_user_model().objects.get(username=username) for level, username in usernames.items()}
    today = timezone.localdate()
    leaders = _build_leaders(demo)
    experts = _experts_by_level()
    _build_pairings(leaders, experts, offices[Level.CITY], today)
    records = _build_contacts(leaders, experts, offices, today)
    _build_follow_ups(records, today)
    liaison = _build_liaison(demo)
    _build_reports(experts, liaison, offices, leaders, today)
    under = services.under_quota(Leader.objects.filter(name__in=[row[2] for row in LEADERS_DATA])).count()
    demo.log(
        f"联系服务：{len(leaders)} 位联系领导（{under} 位未达结对名额），{Pairing.objects.count()} 对结对，"
        f"{ContactRecord.objects.count()} 条联系记录，{EventReport.objects.count()} 份五报告"
    )


def _build_leaders(demo):
    leaders = {}
    for level, body, name, post in LEADERS_DATA:
        leaders[name] = Leader.objects.get_or_create(name=name, level=level, defaults={"body": body, "post": post})[0]
        LeaderOffice.objects.get_or_create(body=body, level=level)
    level, body, name, post = LEADERS_DATA[0]
    user = upsert_user(LEADER_USERNAME, DEMO_PASSWORD, first_name=name, email=f"{LEADER_USERNAME}@example.invalid")
    user.groups.add(Group.objects.get(name=LEADERS))
    Leader.objects.filter(pk=leaders[name].pk).update(user=user)
    demo.add_login(f"{name}（{post}，{LEADERS}）", LEADER_USERNAME, DEMO_PASSWORD)

    office = LeaderOffice.objects.get(body=Body.PARTY, level=Level.CITY)
    user = upsert_user(
        OFFICE_USERNAME, DEMO_PASSWORD, first_name=str(office), email=f"{OFFICE_USERNAME}@example.invalid"
    )
    user.groups.add(Group.objects.get(name=LEADER_OFFICES))
    office.members.add(user)
    demo.add_login(f"{office}（{LEADER_OFFICES}）", OFFICE_USERNAME, DEMO_PASSWORD)
    return leaders


def _experts_by_level():
    experts = {}
    for expert in Expert.objects.filter(status=ExpertStatus.ACTIVE).select_related("unit").order_by("pk"):
        experts.setdefault(expert.level, []).append(expert)
    return experts


def _build_pairings(leaders, experts, user, today):
    for name, level, position, started, ended in PAIRINGS:
        leader, expert = leaders[name], experts[level][position]
        if Pairing.objects.filter(leader=leader, expert=expert).exists():
            continue
        started_on = today - datetime.timedelta(days=started)
        services.check_new_pairing(leader, expert, started_on)
        pairing = Pairing.objects.create(leader=leader, expert=expert, started_on=started_on, created_by=user)
        log(instance=pairing, action="wagtail.create", user=user)
        if ended is not None:
            ended_on = today - datetime.timedelta(days=ended)
            services.end_pairing(pairing, ended_on=ended_on, note="工作调整，改由其他领导联系", user=user)


def _record(kind, method, date, leaders, experts, level, summary, user):
    """The contact record with this summary, created if missing; must-visits it does are marked done."""
    record = ContactRecord.objects.filter(summary=summary).first()
    if record is not None:
        return record
    record = ContactRecord.objects.create(
        date=date, kind=kind, method=method, summary=summary, level=level, recorded_by=user
    )
    record.leaders.set(leaders)
    record.experts.set(experts)
    log(instance=record, action="wagtail.create", user=user)
    services.mark_must_visits_done(record)
    return record


def _build_contacts(leaders, experts, offices, today):
    year_ago = today - datetime.timedelta(days=365)
    pairings = list(Pairing.objects.filter(leader__in=leaders.values()).select_related("leader", "expert__unit"))
    # Holiday visits of the last twelve months, a few days before each day, none still to come.
    days = [*occasions(today.year - 1), *occasions(today.year)]
    skipped = [(name, day) for day in days for name, skipped_day in SKIPPED_VISITS if day.name == skipped_day]
    for occasion in days:
        visit_on = occasion.date - datetime.timedelta(days=3)
        if not year_ago <= visit_on <= today:
            continue
        for pairing in pairings:
            leader, expert = pairing.leader, pairing.expert
            ran = pairing.started_on <= occasion.date and (
                pairing.ended_on is None or pairing.ended_on >= occasion.date
            )
            unit_type = expert.unit.unit_type
            if not ran or not occasion.applies_to(unit_type):
                continue
            if any(
                name == leader.name and day.applies_to(unit_type) and day.opens <= visit_on <= day.closes
                for name, day in skipped
            ):
                continue
            kind = ContactKind.HOLIDAY_VISIT if not occasion.unit_type else ContactKind.HOLIDAY_GREETING
            method = ContactMethod.IN_PERSON if not occasion.unit_type else ContactMethod.PHONE
            summary = f"{occasion.date.year}年{occasion.name}：{leader.name}走访慰问{expert.name}，转达节日问候，了解工作生活情况（演示）。"
            _record(kind, method, visit_on, [leader], [expert], leader.level, summary, offices[leader.level])

    paired = {pairing.expert_id for pairing in pairings if pairing.ended_on is None}
    for kind, method, days, names, groups, level, summary in GROUP_ACTIVITIES:
        chosen = []
        for expert_level, positions in groups:
            if positions is None:
                chosen += [expert for expert in experts[expert_level] if expert.pk in paired]
            else:
                chosen += [experts[expert_level][position] for position in positions]
        date = today - datetime.timedelta(days=days)
        _record(kind, method, date, [leaders[name] for name in names], chosen, level, summary, offices[level])

    visits = []
    for name, level, position, days, problems in FIELD_VISITS:
        leader, expert = leaders[name], experts[level][position]
        summary = f"{leader.name}到{expert.unit.name}调研走访{expert.name}，听取意见建议（演示）。"
        date = today - datetime.timedelta(days=days)
        visits.append(
            (
                _record(
                    ContactKind.FIELD_VISIT,
                    ContactMethod.IN_PERSON,
                    date,
                    [leader],
                    [expert],
                    leader.level,
                    summary,
                    offices[leader.level],
                ),
                expert,
                problems,
            )
        )
    return visits


def _build_follow_ups(visits, today):
    for record, expert, problems in visits:
        for problem, owner, due_in, status, attention, outcome in problems:
            closed = status in (FollowUpStatus.SOLVED, FollowUpStatus.UNSOLVABLE)
            FollowUp.objects.get_or_create(
                record=record,
                problem=problem,
                defaults={
                    "expert": expert,
                    "owner": owner,
                    "due_on": today + datetime.timedelta(days=due_in),
                    "status": status,
                    "leader_attention": attention,
                    "outcome": outcome,
                    "closed_on": today - datetime.timedelta(days=3) if closed else None,
                },
            )


def _build_liaison(demo):
    units = list(Unit.objects.filter(name__in=LIAISON_UNITS, level=Level.XINGBIN))
    user = upsert_user(
        LIAISON_USERNAME, DEMO_PASSWORD, first_name="兴宾区人民医院联络员", email=f"{LIAISON_USERNAME}@example.invalid"
    )
    user.groups.add(Group.objects.get(name=UNIT_LIAISONS))
    StaffProfile.objects.update_or_create(user=user, defaults={"level": Level.XINGBIN})
    for unit in units:
        unit.liaisons.add(user)
    demo.add_login(f"单位联络员（{'、'.join(LIAISON_UNITS)}）", LIAISON_USERNAME, DEMO_PASSWORD)
    return user


def _build_reports(experts, liaison, offices, leaders, today):
    reviewers = {"county": offices[Level.XINGBIN], "city": offices[Level.CITY]}
    for position, kind, days, details, steps in REPORTS:
        expert = experts[Level.XINGBIN][position]
        if EventReport.objects.filter(expert=expert, kind=kind, details=details).exists():
            continue
        report = EventReport(expert=expert, kind=kind, details=details)
        report.event_date = today - datetime.timedelta(days=days)
        services.file_report(report, user=liaison)
        for step in steps:
            if step == "return":
                services.return_report(report, user=reviewers["county"], comment=RETURN_COMMENT)
            else:
                services.accept_report(report, user=reviewers[step])
    # One paired leader has paid the visit the achievement report asked for; the others still owe theirs.
    achiever = experts[Level.XINGBIN][0]
    leader = leaders["潘某勇"]
    summary = f"{leader.name}走访祝贺{achiever.name}获得自治区科学技术进步奖（演示）。"
    date = today - datetime.timedelta(days=2)
    _record(
        ContactKind.ACHIEVEMENT_VISIT,
        ContactMethod.IN_PERSON,
        date,
        [leader],
        [achiever],
        Level.XINGBIN,
        summary,
        offices[Level.XINGBIN],
    )
