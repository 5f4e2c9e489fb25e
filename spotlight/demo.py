"""Demo spotlights: two special columns and a dozen articles, most about an expert with a public profile."""

import datetime

from base.building import paragraphs
from experts.models.pages import ExpertProfilePage
from home.demo_images import demo_image

from .models import SpecialColumn, SpotlightArticleExpert, SpotlightArticlePage

COLUMNS = [
    (
        "rencai-xia-jiceng",
        "人才下基层",
        "记录专家人才深入乡村、社区、企业一线，开展技术服务和志愿服务的足迹。",
    ),
    (
        "zhuanjia-fengcai",
        "专家风采录",
        "讲述来宾市优秀专家人才和团队的先进事迹、高尚品德和科学精神。",
    ),
]
FALLBACK_NAMES = ["张某某", "李某某", "王某某", "刘某某"]
# (title with {name}, column slugs, is the article about the named expert)
ARTICLES = [
    ("医学博士{name}扎根基层守护群众健康", ["rencai-xia-jiceng", "zhuanjia-fengcai"], True),
    ("{name}：让甘蔗良种走进千家万户", ["zhuanjia-fengcai"], True),
    ("三尺讲台育桃李——记教师{name}", ["zhuanjia-fengcai"], True),
    ("瑶医传承人{name}的坚守与创新", ["zhuanjia-fengcai"], True),
    ("专家服务团走进象州县田间地头", ["rencai-xia-jiceng"], False),
    ("车间里的“金牌工匠”{name}", ["zhuanjia-fengcai"], True),
    ("社区里的“知心人”{name}", ["rencai-xia-jiceng"], True),
    ("林下经济带富瑶山群众——记{name}团队", ["rencai-xia-jiceng", "zhuanjia-fengcai"], True),
    ("来宾市人民医院心内科团队跑出胸痛救治“加速度”", ["zhuanjia-fengcai"], False),
    ("青年博士{name}的返乡创业路", ["zhuanjia-fengcai"], True),
    ("土壤专家{name}给农田“看病开方”", ["rencai-xia-jiceng"], True),
    ("产业发展小组专家为糖业转型升级献策", ["rencai-xia-jiceng"], False),
]
FIRST_DATE = datetime.date(2026, 1, 8)


def build(demo):
    columns = {slug: _column(slug, name, description, index) for index, (slug, name, description) in enumerate(COLUMNS)}
    profiles = list(ExpertProfilePage.objects.live().order_by("pk"))
    index_page = demo.pages["spotlight"]
    for index, (title, column_slugs, about_expert) in enumerate(ARTICLES):
        profile = profiles[index % len(profiles)] if profiles and about_expert else None
        name = profile.title if profile else FALLBACK_NAMES[index % len(FALLBACK_NAMES)]
        _article(index_page, index, title.format(name=name), [columns[slug] for slug in column_slugs], profile)
    demo.log(f"专家风采：{len(columns)} 个专栏，{len(ARTICLES)} 篇文章")


def _column(slug, name, description, index):
    column = SpecialColumn.objects.filter(slug=slug).first()
    if column is None:
        column = SpecialColumn(
            slug=slug,
            name=name,
            description=description,
            cover_image=demo_image(f"演示专栏封面：{name}", 100 + index),
            cover_alt=f"“{name}”专栏封面：山川与朝阳",
            sort_order=index,
        )
        column.save()
        column.save_revision().publish()
    return column


def _article(index_page, index, title, columns, profile):
    slug = f"article-{index + 1:02d}"
    if index_page.get_children().filter(slug=slug).exists():
        return
    article = SpotlightArticlePage(
        slug=slug,
        title=title,
        date=FIRST_DATE + datetime.timedelta(days=23 * index),
        author=["本网记者 黄某", "通讯员 覃某", "本网记者 蓝某"][index % 3],
        cover_image=demo_image(f"演示文章封面 {index + 1:02d}", 200 + index),
        cover_alt="来宾的山野风光（示意图）",
        summary=f"{title}。他们用专业和坚守回应群众期待，是来宾市专家人才队伍的生动缩影。",
        body=paragraphs(
            "清晨七点，来宾的田野还笼着一层薄雾，专家们已经出现在工作一线。",
            "多年来，他们把论文写在大地上，把服务送到群众身边，带动一批青年人才成长。",
            "“人才下基层，既是服务，也是学习。”这是他们常说的一句话。",
            "演示数据：文中人物、单位和事迹均为虚构。",
        ),
    )
    article.columns = columns
    if profile is not None:
        article.related_experts = [SpotlightArticleExpert(profile=profile)]
    index_page.add_child(instance=article)
    article.save_revision().publish()
