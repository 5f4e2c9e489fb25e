"""Demo publicity: touring report talks and special reports of the city and three counties, this
year and last, two of them linked to the demo's spotlight articles (spotlight/demo.py, built
before this). Each row is found again by its title, so a second run adds only what is missing."""

from django.utils import timezone

from programme.demo import dated, experts_by_level, office_users, pick, record_activity
from spotlight.models import SpotlightArticlePage
from staff.levels import Level

from .models import PublicityActivity, PublicityKind

# (level, kind, title, place or medium, audience, team, spotlight article's slug, experts by position, when)
# `when`: days before today in this year, or (month, day) of last year.
ACTIVITIES = [
    (
        Level.CITY,
        PublicityKind.TOUR_TALK,
        "来宾市优秀专家人才先进事迹巡回报告会（兴宾区专场）",
        "兴宾区委党校礼堂",
        "全区党员干部和专家人才",
        "",
        "",
        [0, 2],
        35,
    ),
    (
        Level.CITY,
        PublicityKind.SPECIAL_REPORT,
        "产业发展小组专家为糖业转型升级献策",
        "来宾日报、来宾市融媒体中心",
        "全市读者",
        "糖业产业发展小组",
        "article-12",
        [0, 1, 2, 3],
        18,
    ),
    (
        Level.XINGBIN,
        PublicityKind.SPECIAL_REPORT,
        "扎根基层守护群众健康",
        "来宾电视台《来宾新闻》",
        "全市观众",
        "",
        "article-01",
        [0],
        (8, 6),
    ),
    (
        Level.XIANGZHOU,
        PublicityKind.TOUR_TALK,
        "象州县专家人才先进事迹宣讲进乡镇",
        "象州县石龙镇文化站",
        "乡镇干部群众",
        "",
        "",
        [0, 1],
        (11, 3),
    ),
    (
        Level.JINXIU,
        PublicityKind.SPECIAL_REPORT,
        "瑶山里的林下经济带头人",
        "广西日报",
        "",
        "金秀林下经济科技服务团队",
        "",
        [1, 2],
        8,
    ),
]


def build(demo):
    today = timezone.localdate()
    offices = office_users()
    experts = experts_by_level()
    slugs = [row[6] for row in ACTIVITIES if row[6]]
    articles = {article.slug: article for article in SpotlightArticlePage.objects.filter(slug__in=slugs)}
    for level, kind, title, place, audience, team, slug, positions, when in ACTIVITIES:
        if PublicityActivity.objects.filter(title=title, level=level).exists():
            continue
        record_activity(
            PublicityActivity,
            pick(experts, level, positions),
            level,
            offices[level],
            date=dated(today, when),
            kind=kind,
            title=title,
            place=place,
            audience=audience,
            team=team,
            article=articles.get(slug),
        )
    demo.log(f"宣传报道：{PublicityActivity.objects.count()} 次宣传活动")
