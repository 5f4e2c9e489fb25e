"""Demo news: work news, notices and policy documents with downloadable attachments."""

import datetime

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from base.building import paragraphs

from .models import NewsCategory, NewsPage

# (slug, title, category, date, source, document number)
ITEMS = [
    (
        "2026-zuotanhui",
        "市领导与专家人才代表座谈交流",
        NewsCategory.WORK,
        datetime.date(2026, 2, 10),
        "来宾市委人才办",
        "",
    ),
    (
        "2026-chunjie-weiwen",
        "春节前夕市领导走访慰问专家人才",
        NewsCategory.WORK,
        datetime.date(2026, 2, 5),
        "来宾市委人才办",
        "",
    ),
    (
        "2026-xiajiceng",
        "2026年“人才下基层”活动启动",
        NewsCategory.WORK,
        datetime.date(2026, 3, 20),
        "来宾市委组织部",
        "",
    ),
    (
        "2026-tijian-tongzhi",
        "关于组织2026年度专家人才健康体检的通知",
        NewsCategory.NOTICE,
        datetime.date(2026, 4, 8),
        "来宾市委人才办",
        "",
    ),
    (
        "2026-liaoyang-tongzhi",
        "关于做好2026年度专家人才休假疗养工作的通知",
        NewsCategory.NOTICE,
        datetime.date(2026, 5, 12),
        "来宾市委人才办",
        "",
    ),
    (
        "2026-xinku-tiaozheng",
        "关于开展专家人才资源信息库年度调整工作的通知",
        NewsCategory.NOTICE,
        datetime.date(2026, 9, 1),
        "来宾市委人才办",
        "",
    ),
    (
        "lianxi-zhuanjia-fangan",
        "来宾市党委联系专家人才工作方案",
        NewsCategory.POLICY,
        datetime.date(2026, 1, 15),
        "中共来宾市委办公室",
        "来办发〔2026〕1号（演示）",
    ),
    (
        "rencai-xiangmu-zizhu",
        "来宾市人才项目资助管理办法",
        NewsCategory.POLICY,
        datetime.date(2026, 3, 2),
        "来宾市委人才办",
        "来人才发〔2026〕3号（演示）",
    ),
    (
        "lvse-tongdao-shishi",
        "来宾市专家人才医疗绿色通道实施细则",
        NewsCategory.POLICY,
        datetime.date(2026, 6, 18),
        "来宾市卫生健康委员会",
        "来卫发〔2026〕8号（演示）",
    ),
]


def _attachment(slug, title):
    documents = get_document_model()
    document = documents.objects.filter(title=title).first()
    if document is None:
        text = f"{title}\n\n演示文件：正式文本以发布机关印发的为准。\n"
        document = documents(title=title)
        document.file.save(f"{slug}.txt", ContentFile(text.encode("utf-8")), save=False)
        document.save()
    return document


def build(demo):
    index_page = demo.pages["news"]
    for slug, title, category, date, source, number in ITEMS:
        if index_page.get_children().filter(slug=slug).exists():
            continue
        attachments = []
        if category == NewsCategory.POLICY:
            attachments = [("document", {"document": _attachment(slug, title), "title": f"{title}（全文）"})]
        item = NewsPage(
            slug=slug,
            title=title,
            category=category,
            date=date,
            source=source,
            document_number=number,
            summary=f"{title}。",
            body=paragraphs(
                f"{date:%Y年%-m月%-d日}，{source}发布{title}。",
                "各县（市、区）和市直有关单位要高度重视，认真抓好落实，为专家人才做好服务保障。",
                "演示数据：内容为虚构。",
            ),
            attachments=attachments,
        )
        index_page.add_child(instance=item)
        item.save_revision().publish()
    demo.log(f"新闻公告：{len(ITEMS)} 条，覆盖工作动态、通知公告、政策文件")
