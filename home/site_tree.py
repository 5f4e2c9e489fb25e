"""The public page tree every portal has: the home page, one index per section, the contact page
with its tracking and answers pages, the programme and the privacy notice, the default site,
its settings and the review before publishing.

`setup_site` builds it for a real site and `load_demo_content` for the demo, so both have the
same tree. Idempotent (base/building.py): a second run creates only what is missing and never
overwrites what editors have changed. The starting text is real and short, for editors to
extend; no person in it is fictional.
"""

from importlib import import_module

from django.apps import apps
from wagtail.models import Page, Site, Workflow, WorkflowPage

from base.building import paragraphs, upsert_page
from base.models import PortalSettings, StandardPage
from experts.models import ExpertDirectoryPage
from honours.models import HonourIndexPage
from intake.models import ContactPage
from news.models import NewsIndexPage
from services.models import ServiceIndexPage
from spotlight.models import SpotlightIndexPage

from .models import HomePage

SITE_NAME = "来宾专家人才平台"
REVIEW_WORKFLOW_NAME = "发布审核"
# The data migrations that set the review up; each is idempotent, so running them again
# restores a review that someone deleted, with exactly the groups and permissions they grant.
REVIEW_MIGRATIONS = [
    ("base.migrations.0003_publishing_workflow", "create_workflow"),
    ("base.migrations.0004_final_reviewers_publish", "grant"),
    ("spotlight.migrations.0003_column_review_and_permissions", "assign"),
    ("spotlight.migrations.0004_final_reviewers_publish_columns", "grant"),
]

# (key, model, slug, title, intro) in menu order; the slugs are the public URL contract.
SECTIONS = [
    (
        "spotlight",
        SpotlightIndexPage,
        "spotlight",
        "专家风采",
        "大力宣传优秀专家人才和团队的典型先进事迹、高尚品德和科学精神。",
    ),
    (
        "honours",
        HonourIndexPage,
        "honours",
        "荣誉表彰",
        "对作出重大突出贡献的专家人才和团队授予荣誉称号，予以表彰奖励。",
    ),
    ("experts", ExpertDirectoryPage, "experts", "专家名录", "经本人同意公开的来宾市专家人才资料。"),
    ("news", NewsIndexPage, "news", "新闻公告", "人才工作动态、通知公告与政策文件。"),
    (
        "services",
        ServiceIndexPage,
        "services",
        "一站式服务",
        "医疗保健、休假疗养、项目申报、金融支持等专家人才服务指南。",
    ),
    (
        "contact",
        ContactPage,
        "contact",
        "联系我们",
        "专家人才可通过约见、电话、信函、邮件等渠道向联系领导反映情况、提出意见和建议。",
    ),
]

PROGRAMME_PAGE = {
    "title": "工作方案",
    "show_in_menus": True,
    "summary": "来宾市党委联系专家人才工作方案：联系服务对象、主要措施与工作保障。",
    "body": paragraphs(
        "坚持党管人才原则，加强对专家人才的政治引领和政治吸纳，做到政治上充分信任，思想上主动引导，"
        "工作上创造条件，生活上关心照顾。",
        "党委、人大常委会、政府、政协领导班子成员至少直接联系2名专家人才，与专家人才结对子。"
        "建立专家人才资源信息库，原则上每年进行1次调整补充。",
        "建立“三必访”“四通道”“五报告”“六活动”机制：重要节日必访、获得重大成就必访、遭遇特殊困难必访；"
        "专家人才可通过约见、电话、信函、邮件等四条通道向联系领导反映情况、提出意见和建议。",
        "建设线上线下互补互动的来宾市人才“一站式”服务平台，为专家人才提供高效优质的“一条龙”服务。",
    ),
}

PRIVACY_PAGE = {
    "title": "个人信息保护说明",
    "summary": "本平台如何收集、使用和保护您提交的个人信息。",
    "body": paragraphs(
        "本平台依照《中华人民共和国个人信息保护法》处理个人信息，仅收集办理事项所必需的信息。",
        "您通过联系表单提交的姓名、单位、联系方式和留言内容，仅用于办理您反映的事项并向您答复，"
        "由市委人才工作领导小组办公室及承办部门的工作人员按权限查阅，不会在公开页面展示。",
        "专家公开资料仅展示本人同意公开的内容；本人撤回同意后，相关页面将自动下线。",
        "如需查询、更正或删除您的个人信息，请拨打专家人才热线或发送电子邮件与我们联系。",
    ),
}

# (section key, label) of the home page's quick links.
QUICK_LINKS = [("services", "一站式服务"), ("contact", "联系我们"), ("experts", "专家名录"), ("about", "工作方案")]


def home_body(pages):
    """The home page's starting blocks; each shows an empty state until its section has content."""
    return [
        ("contact_card", {"heading": "专家人才服务通道", "text": "约见、电话、信函、邮件，四条通道随时为您服务。"}),
        ("quick_links", {"heading": "快捷入口", "links": [{"page": pages[k], "label": t} for k, t in QUICK_LINKS]}),
        ("latest_spotlights", {"heading": "专家风采", "count": 3, "column": None}),
        ("latest_news", {"heading": "通知公告", "count": 5, "category": "notice"}),
        ("latest_honours", {"heading": "荣誉表彰", "count": 5}),
    ]


def build(log, hostname, port):
    """Builds what is missing of the tree; returns its pages by key (home, the sections, about, privacy)."""
    root = Page.get_first_root_node()
    home = root.get_children().type(HomePage).first()
    if home is None:
        # Wagtail's own migration leaves a "Welcome" page at the root; ours replaces it.
        root.get_children().filter(content_type__app_label="wagtailcore", content_type__model="page").delete()
        home = upsert_page(
            root,
            HomePage,
            "home",
            title="首页",
            headline="尊重人才 服务人才 成就人才",
            intro="<p>来宾市党委联系服务专家人才平台，是领导干部联系专家人才、专家人才反映意见建议、"
            "宣传优秀专家人才事迹的一站式服务窗口。</p>",
        )
        log("首页已创建")
    home = home.specific
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            is_default_site=True, hostname=hostname, port=port, root_page=home, site_name=SITE_NAME
        )
        log(f"站点已创建：{hostname}:{port}")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])

    pages = {"home": home}
    for key, model, slug, title, intro in SECTIONS:
        pages[key] = upsert_page(home, model, slug, title=title, show_in_menus=True, intro=f"<p>{intro}</p>")
    pages["about"] = upsert_page(home, StandardPage, "about", **PROGRAMME_PAGE)
    pages["privacy"] = upsert_page(home, StandardPage, "privacy", **PRIVACY_PAGE)

    if not home.body:
        home.body = home_body(pages)
        home.save_revision().publish()
        log("首页栏目已设置")

    portal_settings = PortalSettings.for_site(site)
    if portal_settings.privacy_page_id is None:
        portal_settings.privacy_page = pages["privacy"]
        portal_settings.save()

    if ensure_review_workflow():
        log("发布审核流程已恢复")
    return pages


def ensure_review_workflow():
    """Makes sure every public page and special column goes through the review; True if it had to."""
    root = Page.get_first_root_node()
    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW_NAME).first()
    if workflow is not None and workflow.active and WorkflowPage.objects.filter(page=root, workflow=workflow).exists():
        return False
    for module_path, function in REVIEW_MIGRATIONS:
        getattr(import_module(module_path), function)(apps, None)
    Workflow.objects.filter(name=REVIEW_WORKFLOW_NAME).update(active=True)
    return True
