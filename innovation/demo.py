"""Demo innovation support records: every kind and platform type, recorded by the city and county
offices' demo logins (experts/demo.py), this year and last, some for a team of several experts.

Dates count back from today and stay inside their year, so this year always has records. Each
record is found again by its project name, so a second run adds only what is missing.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.log_actions import log

from experts.demo import STAFF_USERS
from experts.models import Expert, ExpertStatus
from staff.levels import Level

from .models import PlatformType, SupportedExpert, SupportKind, SupportRecord

# (level, when: days back this year (kept in it) or (month, day) last year, the kind (a platform
# by its type), project, amount in yuan or None, granting body, team name, positions among the
# level's active experts). Projects and bodies are fictional, as the notes say.
RECORDS = [
    (Level.CITY, 20, SupportKind.FUNDING_AWARD, "高层次人才创新奖", "200000", "来宾市委人才办", "", [0]),
    (
        Level.CITY,
        45,
        SupportKind.RESEARCH_GRANT,
        "糖料蔗高效栽培研究",
        "350000",
        "市科技局",
        "糖料蔗栽培团队",
        [1, 2, 3],
    ),
    (Level.CITY, 60, PlatformType.EXPERT_WORKSTATION, "演示糖业专家工作站", "500000", "市科技局", "", [4]),
    (Level.CITY, 90, SupportKind.VISITING_STUDY, "广西大学访问研修", "30000", "来宾市委组织部", "", [5]),
    (
        Level.CITY,
        (9, 15),
        PlatformType.ENGINEERING_CENTRE,
        "良种工程技术中心",
        "800000",
        "市科技局",
        "良种选育团队",
        [2, 6],
    ),
    (Level.CITY, (11, 3), SupportKind.FINANCIAL, "人才贷贴息", "45000.50", "来宾市财政局", "", [7]),
    (Level.XINGBIN, 10, SupportKind.TAX_RELIEF, "高新技术企业所得税减免", None, "兴宾区税务局", "", [0]),
    (
        Level.XINGBIN,
        35,
        SupportKind.PROJECT_PRIORITY,
        "科技计划项目优先推荐",
        None,
        "兴宾区科工局",
        "智能农机团队",
        [1, 2],
    ),
    (Level.XINGBIN, (6, 20), PlatformType.ENTERPRISE_CENTRE, "制糖企业技术中心", "300000", "兴宾区科工局", "", [3]),
    (Level.HESHAN, 15, SupportKind.GRASSROOTS_POSTING, "河里镇挂职科技副镇长", None, "合山市委组织部", "", [0]),
    (Level.HESHAN, (4, 8), SupportKind.FUNDING_AWARD, "优秀人才奖励", "20000", "合山市委人才办", "", [1]),
    (Level.XIANGZHOU, 25, SupportKind.FINANCIAL, "知识产权质押融资", "1000000", "象州县财政局", "", [0]),
    (Level.WUXUAN, (8, 1), SupportKind.RESEARCH_GRANT, "特色水果病虫害防治", "80000", "武宣县科技局", "", [0]),
    (Level.XINCHENG, 50, SupportKind.VISITING_STUDY, "中国农科院研修", "15000", "忻城县委组织部", "", [0]),
    (Level.JINXIU, 30, SupportKind.GRASSROOTS_POSTING, "长垌乡驻村指导", None, "金秀县委组织部", "瑶医药团队", [0, 1]),
]
NOTES = "演示数据：项目、单位和金额均为虚构。"


def build(demo):
    usernames = {level: username for level, _, username, _ in STAFF_USERS}
    offices = {level: get_user_model().objects.get(username=username) for level, username in usernames.items()}
    experts = {}
    for expert in Expert.objects.filter(status=ExpertStatus.ACTIVE).order_by("pk"):
        experts.setdefault(expert.level, []).append(expert)
    today = timezone.localdate()
    for level, when, kind, project, amount, body, team, positions in RECORDS:
        if SupportRecord.objects.filter(project=project).exists() or not experts.get(level):
            continue
        if isinstance(when, int):
            date = max(today - datetime.timedelta(days=when), datetime.date(today.year, 1, 1))
        else:
            date = datetime.date(today.year - 1, *when)
        record = SupportRecord.objects.create(
            level=level,
            recorded_by=offices[level],
            date=date,
            kind=SupportKind.PLATFORM if isinstance(kind, PlatformType) else kind,
            platform_type=kind if isinstance(kind, PlatformType) else "",
            project=project,
            amount=None if amount is None else Decimal(amount),
            granting_body=body,
            team_name=team,
            notes=NOTES,
        )
        chosen = {experts[level][position % len(experts[level])] for position in positions}
        SupportedExpert.objects.bulk_create(SupportedExpert(activity=record, expert=expert) for expert in chosen)
        log(instance=record, action="wagtail.create", user=offices[level])
    demo.log(f"创新创业支持：{SupportRecord.objects.count()} 条支持记录")
