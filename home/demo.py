"""The demo page tree: home page, one index per section, standard pages, and the people who
take a page through review (编辑提交 → 审核 → 终审) before it is published."""

from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from base.demo import DEMO_PASSWORD, paragraphs, upsert_page, upsert_user
from base.models import PortalSettings, StandardPage
from experts.models import ExpertDirectoryPage
from honours.models import HonourIndexPage
from intake.models import ContactPage
from news.models import NewsIndexPage
from services.models import ServiceIndexPage
from spotlight.models import SpotlightIndexPage
from staff.roles import EDITORS, FINAL_REVIEWERS, REVIEWERS

from .models import HomePage

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

# (group, username, name, what they do): one fictional login per step of the review.
EDITORIAL_USERS = [
    (EDITORS, "bianji", "演示编辑", "撰写页面并提交审核，不能直接发布"),
    (REVIEWERS, "shenhe", "演示审核员", "第一步审核"),
    (FINAL_REVIEWERS, "zhongshen", "演示终审人", "终审通过即发布"),
]


def build(demo):
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
        demo.log("首页已创建")
    home = home.specific
    site, _ = Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "来宾专家人才平台"},
    )
    demo.pages["home"] = home

    for key, model, slug, title, intro in SECTIONS:
        demo.pages[key] = upsert_page(home, model, slug, title=title, show_in_menus=True, intro=f"<p>{intro}</p>")

    demo.pages["about"] = upsert_page(
        home,
        StandardPage,
        "about",
        title="工作方案",
        show_in_menus=True,
        summary="来宾市党委联系专家人才工作方案：联系服务对象、主要措施与工作保障。",
        body=paragraphs(
            "坚持党管人才原则，加强对专家人才的政治引领和政治吸纳，做到政治上充分信任，思想上主动引导，"
            "工作上创造条件，生活上关心照顾。",
            "党委、人大常委会、政府、政协领导班子成员至少直接联系2名专家人才，与专家人才结对子。"
            "建立专家人才资源信息库，原则上每年进行1次调整补充。",
            "建立“三必访”“四通道”“五报告”“六活动”机制：重要节日必访、获得重大成就必访、遭遇特殊困难必访；"
            "专家人才可通过约见、电话、信函、邮件等四条通道向联系领导反映情况、提出意见和建议。",
            "建设线上线下互补互动的来宾市人才“一站式”服务平台，为专家人才提供高效优质的“一条龙”服务。",
        ),
    )
    demo.pages["privacy"] = upsert_page(
        home,
        StandardPage,
        "privacy",
        title="个人信息保护说明",
        summary="本平台如何收集、使用和保护您提交的个人信息。",
        body=paragraphs(
            "本平台依照《中华人民共和国个人信息保护法》处理个人信息，仅收集办理事项所必需的信息。",
            "您通过联系表单提交的姓名、单位、联系方式和留言内容，仅用于办理您反映的事项并向您答复，"
            "由市委人才工作领导小组办公室及承办部门的工作人员按权限查阅，不会在公开页面展示。",
            "专家公开资料仅展示本人同意公开的内容；本人撤回同意后，相关页面将自动下线。",
            "如需查询、更正或删除您的个人信息，请拨打专家人才热线或发送电子邮件与我们联系。",
        ),
    )

    portal_settings = PortalSettings.for_site(site)
    if portal_settings.privacy_page_id is None:
        portal_settings.privacy_page = demo.pages["privacy"]
        portal_settings.save()

    _build_editorial_users(demo)


def _build_editorial_users(demo):
    for group_name, username, name, duty in EDITORIAL_USERS:
        user = upsert_user(username, DEMO_PASSWORD, first_name=name, email=f"{username}@example.invalid")
        user.groups.add(Group.objects.get(name=group_name))
        demo.add_login(f"{name}（{group_name}，{duty}）", username, DEMO_PASSWORD)
