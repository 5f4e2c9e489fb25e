"""The demo site: the page tree every portal has (home/site_tree.py), the demo's contact
details, and the people who take a page through review (编辑提交 → 审核 → 终审)."""

from django.contrib.auth.models import Group
from wagtail.models import Site

from base.building import upsert_user
from base.demo import DEMO_PASSWORD
from base.models import PortalSettings
from staff.roles import EDITORS, FINAL_REVIEWERS, REVIEWERS

from . import site_tree

DEMO_OFFICE_ADDRESS = "广西来宾市兴宾区（演示地址，请在站点设置中修改）"
DEMO_ICP_NUMBER = "桂ICP备00000000号-1"

# (group, username, name, what they do): one fictional login per step of the review.
EDITORIAL_USERS = [
    (EDITORS, "bianji", "演示编辑", "撰写页面并提交审核，不能直接发布"),
    (REVIEWERS, "shenhe", "演示审核员", "第一步审核"),
    (FINAL_REVIEWERS, "zhongshen", "演示终审人", "终审通过即发布"),
]


def build(demo):
    demo.pages.update(site_tree.build(demo.log, hostname="localhost", port=80))
    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    if not portal_settings.office_address:
        portal_settings.office_address = DEMO_OFFICE_ADDRESS
        portal_settings.icp_number = portal_settings.icp_number or DEMO_ICP_NUMBER
        portal_settings.save()
    _build_editorial_users(demo)


def _build_editorial_users(demo):
    for group_name, username, name, duty in EDITORIAL_USERS:
        user = upsert_user(username, DEMO_PASSWORD, first_name=name, email=f"{username}@example.invalid")
        user.groups.add(Group.objects.get(name=group_name))
        demo.add_login(f"{name}（{group_name}，{duty}）", username, DEMO_PASSWORD)
