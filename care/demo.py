"""Demo care records for last year and this year: a city checkup round and county rounds with their
invitees (most attended, some declined, the latest round's last invitees not yet marked),
recuperation trips of the three forms (the experts of 武宣县 and 忻城县 are offered none), green-channel
requests at every stage, health lectures and family support items with their outcomes.

This year's dates count back from today (never before 1 January), last year's are fixed days. Each
row is found again by a key of its own (level, place or topic and year; expert and text), so a second
run adds only what is missing. The experts are the demo's (experts/demo.py), taken by their position
among their level's active experts, as liaison/demo.py takes them.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.log_actions import log

from experts.demo import STAFF_USERS
from experts.models import Expert, ExpertStatus
from programme.models import AttendanceStatus
from staff.levels import Level

from .models import (
    CheckupAttendance,
    CheckupRound,
    FamilySupport,
    FamilySupportKind,
    FamilySupportOutcome,
    GreenChannelRequest,
    GreenChannelStatus,
    HealthLecture,
    LectureAttendance,
    RecuperationAttendance,
    RecuperationKind,
    RecuperationTrip,
)

ALL = range(100)  # every active expert of a level
DECLINED_EVERY = 5  # every fifth invitee of an event did not go
PENDING = 2  # the last invitees of this year's latest round are not marked yet

# (level, hospital, last year's (month, day), days ago this year, arrangements, invitees as
# [(level, positions)], whether this year's round still has invitees to mark).
CHECKUPS = [
    (
        Level.CITY,
        "来宾市人民医院",
        (5, 20),
        150,
        "市本级专家上午在体检中心体检；各县（市、区）推荐的专家下午体检。",
        [(Level.CITY, ALL), (Level.XINGBIN, [0]), (Level.HESHAN, [0]), (Level.XIANGZHOU, [0]), (Level.JINXIU, [0])],
        False,
    ),
    (
        Level.XINGBIN,
        "兴宾区人民医院",
        (6, 10),
        90,
        "医疗卫生和教育系统专家分两批体检。",
        [(Level.XINGBIN, ALL[1:])],
        False,
    ),
    (Level.HESHAN, "合山市人民医院", (7, 2), 60, "", [(Level.HESHAN, ALL[1:])], False),
    (Level.XIANGZHOU, "象州县人民医院", (6, 18), 45, "", [(Level.XIANGZHOU, ALL[1:])], False),
    (
        Level.JINXIU,
        "金秀瑶族自治县人民医院",
        (9, 5),
        10,
        "林业、瑶医药专家集中安排在周六上午。",
        [(Level.JINXIU, ALL[1:])],
        True,
    ),
]
# (level, place, kind, days long, last year's (month, day), days ago this year, experts).
TRIPS = [
    (
        Level.CITY,
        "北海市",
        RecuperationKind.RECUPERATION,
        5,
        (7, 8),
        140,
        [(Level.CITY, [0, 1, 2, 3]), (Level.XINGBIN, [0])],
    ),
    (
        Level.CITY,
        "百色市",
        RecuperationKind.STUDY_TOUR,
        4,
        (10, 12),
        80,
        [(Level.CITY, [4, 5, 6]), (Level.XIANGZHOU, [0]), (Level.HESHAN, [0])],
    ),
    (Level.XINGBIN, "金秀瑶族自治县大瑶山", RecuperationKind.CONSULTING, 3, (11, 3), 40, [(Level.XINGBIN, [1, 2, 3])]),
]
# (level, topic, speaker, place, last year's (month, day), days ago this year, experts).
LECTURES = [
    (
        Level.CITY,
        ("常见慢性病的早期预防", "科学运动与颈腰椎保健"),
        "韦某宁（来宾市人民医院主任医师）",
        "来宾市委党校报告厅",
        (4, 22),
        100,
        [(Level.CITY, ALL)],
    ),
    (
        Level.XINGBIN,
        ("心理健康与压力调适", "合理膳食与体重管理"),
        "蓝某晨（兴宾区人民医院副主任医师）",
        "兴宾区人民医院学术厅",
        (9, 16),
        25,
        [(Level.XINGBIN, ALL)],
    ),
]
# (recording level, expert's level, position, hospital, need, status, handling, days ago or None for last year).
GREEN_CHANNEL = [
    (
        Level.CITY,
        Level.CITY,
        1,
        "来宾市人民医院",
        "协助预约专家门诊和相关检查。",
        GreenChannelStatus.CLOSED,
        "已联系医院医务科预约，专家按约就诊，办结。",
        120,
    ),
    (
        Level.XINGBIN,
        Level.XINGBIN,
        2,
        "广西医科大学第一附属医院",
        "需转诊到南宁就医，请协助联系床位。",
        GreenChannelStatus.ARRANGED,
        "兴宾区人才办已报市委人才办，经市卫生健康委联系医院，床位已落实，待入院。",
        15,
    ),
    (Level.XIANGZHOU, Level.XIANGZHOU, 1, "象州县人民医院", "协助预约住院床位。", GreenChannelStatus.OPEN, "", 3),
    (
        Level.JINXIU,
        Level.JINXIU,
        2,
        "来宾市人民医院",
        "协助预约复查。",
        GreenChannelStatus.CLOSED,
        "已协调医院安排复查，办结。",
        None,
    ),
]
# (recording level, expert's level, position, kind, description, outcome, note, days ago or None for last year).
FAMILY_SUPPORT = [
    (
        Level.CITY,
        Level.CITY,
        2,
        FamilySupportKind.SCHOOLING,
        "子女随迁来宾，希望就近入读小学。",
        FamilySupportOutcome.SOLVED,
        "经市教育局协调，已于秋季学期入学。",
        110,
    ),
    (
        Level.XINGBIN,
        Level.XINGBIN,
        3,
        FamilySupportKind.SPOUSE_JOB,
        "配偶随调来宾，希望安排专业相近的岗位。",
        FamilySupportOutcome.IN_PROGRESS,
        "已推荐至区内两家医疗机构，正在对接。",
        35,
    ),
    (
        Level.HESHAN,
        Level.HESHAN,
        1,
        FamilySupportKind.HOUSING,
        "申请入住人才公寓。",
        FamilySupportOutcome.SOLVED,
        "已安排入住合山市人才公寓。",
        70,
    ),
    (
        Level.JINXIU,
        Level.JINXIU,
        0,
        FamilySupportKind.ELDER_CARE,
        "父母年迈独居外地，希望协助接来金秀后就近照料。",
        FamilySupportOutcome.UNSOLVABLE,
        "暂无对口养老床位，已提供社区居家养老服务信息。",
        20,
    ),
    (
        Level.XIANGZHOU,
        Level.XIANGZHOU,
        2,
        FamilySupportKind.SCHOOLING,
        "子女升入初中，希望协调入读象州县中学。",
        FamilySupportOutcome.SOLVED,
        "已协调入学。",
        None,
    ),
]


def build(demo):
    offices = {level: get_user_model().objects.get(username=username) for level, _, username, _ in STAFF_USERS}
    experts = {}
    for expert in Expert.objects.filter(status=ExpertStatus.ACTIVE).order_by("pk"):
        experts.setdefault(expert.level, []).append(expert)
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        when = _dates(year, today)
        for level, hospital, last_year, days, arrangements, groups, pending in CHECKUPS:
            fields = {"hospital": hospital, "arrangements": arrangements}
            round_ = _activity(CheckupRound, level, when(last_year, days), {"hospital": hospital}, fields, offices)
            _attend(round_, CheckupAttendance, _pick(experts, groups), pending=pending and year == today.year)
        for level, place, kind, length, last_year, days, groups in TRIPS:
            date = when(last_year, days)
            fields = {"place": place, "kind": kind, "end_date": date + datetime.timedelta(days=length - 1)}
            trip = _activity(RecuperationTrip, level, date, {"place": place, "kind": kind}, fields, offices)
            _attend(trip, RecuperationAttendance, _pick(experts, groups))
        for level, topics, speaker, place, last_year, days, groups in LECTURES:
            topic = topics[year == today.year]
            fields = {"topic": topic, "speaker": speaker, "place": place}
            lecture = _activity(HealthLecture, level, when(last_year, days), {"topic": topic}, fields, offices)
            _attend(lecture, LectureAttendance, _pick(experts, groups))
    last_year = _dates(today.year - 1, today)((12, 1), 0)
    for level, expert_level, position, hospital, need, status, handling, days in GREEN_CHANNEL:
        date = last_year if days is None else _dates(today.year, today)(None, days)
        _expert_record(
            GreenChannelRequest,
            level,
            experts[expert_level][position],
            date,
            {"hospital": hospital, "need": need},
            {"status": status, "handling": handling},
            offices,
        )
    for level, expert_level, position, kind, description, outcome, note, days in FAMILY_SUPPORT:
        date = last_year if days is None else _dates(today.year, today)(None, days)
        _expert_record(
            FamilySupport,
            level,
            experts[expert_level][position],
            date,
            {"kind": kind, "description": description},
            {"outcome": outcome, "outcome_note": note},
            offices,
        )
    demo.log(
        f"关心关爱：{CheckupRound.objects.count()} 轮集中体检，{RecuperationTrip.objects.count()} 次休假疗养，"
        f"{GreenChannelRequest.objects.count()} 件绿色通道，{HealthLecture.objects.count()} 场健康讲座，"
        f"{FamilySupport.objects.count()} 项帮扶事项"
    )


def _dates(year, today):
    """The date of an event of `year`: last year's on its (month, day), this year's `days` before today
    (never before 1 January)."""

    def when(month_day, days):
        if year < today.year:
            return datetime.date(year, *month_day)
        return max(datetime.date(year, 1, 1), today - datetime.timedelta(days=days))

    return when


def _pick(experts, groups):
    """The experts of `groups` ([(level, positions)]), positions past a level's last expert skipped."""
    chosen = []
    for level, positions in groups:
        available = experts.get(level, [])
        chosen += [available[position] for position in positions if position < len(available)]
    return chosen


def _activity(model, level, date, key, fields, offices):
    """The activity of `model` recorded by `level` in `date`'s year under `key`, created if missing."""
    found = model.objects.filter(level=level, date__year=date.year, **key).first()
    if found is not None:
        return found
    user = offices[level]
    activity = model.objects.create(level=level, date=date, recorded_by=user, **fields)
    log(instance=activity, action="wagtail.create", user=user)
    return activity


def _attend(activity, model, experts, *, pending=False):
    """Adds `experts` not yet in `activity`: every fifth declined; with `pending`, the last ones only invited."""
    if activity.attendances.exists():
        return
    rows = []
    for position, expert in enumerate(experts):
        if pending and position >= len(experts) - PENDING:
            status = AttendanceStatus.INVITED
        elif position % DECLINED_EVERY == DECLINED_EVERY - 1:
            status = AttendanceStatus.DECLINED
        else:
            status = AttendanceStatus.ATTENDED
        rows.append(model(activity=activity, expert=expert, status=status))
    model.objects.bulk_create(rows)


def _expert_record(model, level, expert, date, key, fields, offices):
    if model.objects.filter(expert=expert, **key).exists():
        return
    user = offices[level]
    record = model.objects.create(level=level, expert=expert, date=date, recorded_by=user, **key, **fields)
    log(instance=record, action="wagtail.create", user=user)
