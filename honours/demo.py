"""Demo honours over three years, to experts with public profiles and to named teams."""

import datetime

from base.building import paragraphs
from experts.models.pages import ExpertProfilePage

from .models import HonourPage, HonourRecipient, HonourType

# (slug, title, type, conferred title, conferring body, date, number of expert recipients, team name)
HONOURS = [
    (
        "2024-youxiu-zhuanjia",
        "2024年度来宾市优秀专家",
        HonourType.TITLE,
        "来宾市优秀专家",
        "中共来宾市委 来宾市人民政府",
        datetime.date(2024, 4, 26),
        2,
        "",
    ),
    (
        "2024-kejin-jiangli",
        "2024年度来宾市科学技术进步奖",
        HonourType.AWARD,
        "来宾市科学技术进步奖一等奖",
        "来宾市人民政府",
        datetime.date(2024, 9, 10),
        1,
        "甘蔗良种繁育技术团队",
    ),
    (
        "2025-youxiu-zhuanjia",
        "2025年度来宾市优秀专家",
        HonourType.TITLE,
        "来宾市优秀专家",
        "中共来宾市委 来宾市人民政府",
        datetime.date(2025, 4, 25),
        3,
        "",
    ),
    (
        "2025-jiceng-rencai",
        "2025年度来宾市“扎根基层优秀人才”",
        HonourType.TITLE,
        "扎根基层优秀人才",
        "中共来宾市委组织部",
        datetime.date(2025, 7, 1),
        2,
        "",
    ),
    (
        "2025-tuandui-biaozhang",
        "2025年度来宾市优秀人才团队表彰",
        HonourType.AWARD,
        "来宾市优秀人才团队",
        "中共来宾市委人才工作领导小组",
        datetime.date(2025, 11, 18),
        0,
        "来宾市人民医院胸痛中心团队",
    ),
    (
        "2026-bajian-rencai",
        "2026年度来宾市专业技术拔尖人才",
        HonourType.TITLE,
        "来宾市专业技术拔尖人才",
        "来宾市人民政府",
        datetime.date(2026, 3, 12),
        2,
        "",
    ),
    (
        "2026-gongjiang",
        "2026年度来宾市“金牌工匠”",
        HonourType.AWARD,
        "来宾金牌工匠",
        "来宾市总工会",
        datetime.date(2026, 5, 1),
        1,
        "新能源装备制造班组",
    ),
]


def build(demo):
    index_page = demo.pages["honours"]
    profiles = list(ExpertProfilePage.objects.live().order_by("pk"))
    next_profile = 0
    for slug, title, honour_type, conferred, body, date, expert_count, team in HONOURS:
        chosen = (
            [profiles[(next_profile + offset) % len(profiles)] for offset in range(expert_count)] if profiles else []
        )
        next_profile += expert_count
        if index_page.get_children().filter(slug=slug).exists():
            continue
        recipients = [HonourRecipient(profile=profile) for profile in chosen]
        if team or not recipients:
            recipients.append(HonourRecipient(team_name=team or "来宾市专家服务团"))
        honour = HonourPage(
            slug=slug,
            title=title,
            honour_type=honour_type,
            conferred_title=conferred,
            conferring_body=body,
            date=date,
            summary=f"{body}授予{len(recipients)}位（个）专家人才和团队“{conferred}”。",
            citation=paragraphs(
                "他们立足岗位、勇于创新，在科技攻关、民生服务和产业发展中作出了突出贡献。",
                "希望受表彰者珍惜荣誉、再接再厉，广大专家人才以他们为榜样，为来宾高质量发展贡献智慧和力量。",
                "演示数据：表彰对象和事迹均为虚构。",
            ),
        )
        honour.recipients = recipients
        index_page.add_child(instance=honour)
        honour.save_revision().publish()
    demo.log(f"荣誉表彰：{len(HONOURS)} 项，2024—2026年")
