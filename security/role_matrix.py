"""The role matrix: who may do what with each kind of record and page in the admin.

One structure serves two readers: tests/test_security_role_matrix.py walks every admin URL as
every role and expects exactly what it says, and the README's table is printed from it
(`python -m security.role_matrix`; a test compares the README's marked block with it).

Each kind names the admin URLs it owns (a URL namespace, or single URL names and, for URLs
registered without a name, their routes) and which operation each URL performs; a URL no kind
owns fails the walk, so a new kind of record joins the matrix as it lands.

A grant is a string of operation letters, "/own" where only the role's own rows count: for a
county's office its county, for a unit liaison the experts and reports of its units, for a
leader their own rows, for a leader's office the rows of the leaders it works for, for a
department's user the items assigned to its department. The rules behind "own" are staff.scoping,
liaison.scoping and intake.departments; this file only states their outcome.
"""

from dataclasses import dataclass, field

from staff.roles import (
    CITY_OFFICE,
    COUNTY_OFFICE,
    DEPARTMENT_USERS,
    EDITORS,
    FINAL_REVIEWERS,
    LEADER_OFFICES,
    LEADERS,
    REVIEWERS,
    UNIT_LIAISONS,
)

PUBLIC = "公众"  # not signed in
SUPERUSER = "超级管理员"
ROLES = [
    PUBLIC,
    EDITORS,
    REVIEWERS,
    FINAL_REVIEWERS,
    CITY_OFFICE,
    COUNTY_OFFICE,
    UNIT_LIAISONS,
    LEADERS,
    LEADER_OFFICES,
    DEPARTMENT_USERS,
    SUPERUSER,
]

# Operation letters, in the order the table writes them.
OPERATIONS = {
    "V": "view: list, detail, and the kind's own screens",
    "A": "add",
    "C": "change: edit, and the record's workflow steps",
    "D": "delete",
    "P": "publish or unpublish directly",
    "E": "export (XLSX/CSV)",
    "I": "import",
    "H": "history and revisions",
    "U": "usage",
    "S": "choose in a chooser",
    "M": "move a page, set its privacy",
    "L": "lock and unlock",
    "R": "answer an expert's request about their data: export it all (本人数据), anonymise",
}
# A URL marked OPEN answers every signed-in staff member: Wagtail's own helpers that show nothing
# a role may not see (a chooser of public content, a confirmation dialog's check).
OPEN = "*"
# A URL marked ANYONE answers even visitors not signed in: what the sign-in page itself loads.
ANYONE = "**"
ALL = "all"
OWN = "own"

# Wagtail's URL names within a viewset's namespace, and the operation each performs.
STANDARD_URLS = {
    "index": "V",
    "index_results": "V",
    "list": "V",
    "list_results": "V",
    "inspect": "V",
    "add": "A",
    "copy": "A",
    "preview_on_add": "A",
    "edit": "C",
    "preview_on_edit": "C",
    "revisions_revert": "C",
    "lock": "L",
    "unlock": "L",
    "delete": "D",
    "unpublish": "P",
    "revisions_unschedule": "P",
    "history": "H",
    "history_results": "H",
    "revisions_view": "H",
    "revisions_compare": "H",
    "usage": "U",
    "choose": "S",
    "choose_results": "S",
    "chosen": "S",
    "chosen_multiple": "S",
    "create": "A",
}


def parse_grant(grant):
    """{"V": ALL, "C": OWN, ...} from "V C/own"-style text."""
    operations = {}
    for part in grant.split():
        letters, _, scope = part.partition("/")
        for letter in letters:
            if letter not in OPERATIONS or scope not in ("", OWN):
                raise ValueError(f"not a grant: {grant!r}")
            operations[letter] = scope or ALL
    return operations


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # as the admin menu names it
    urls: dict  # "namespace:" (standard names), "namespace:name" or a route -> operation letter
    grants: dict = field(default_factory=dict)  # role -> grant text; a role not named may do nothing
    scoped: bool = False  # rows belong to a level, unit or leader: "own" means something
    export: bool = False  # its list exports with ?export=xlsx/csv

    def operations(self, role):
        """{operation letter: ALL or OWN} that `role` may do; a superuser may do anything not limited here."""
        if role == SUPERUSER and role not in self.grants:
            return dict.fromkeys(OPERATIONS, ALL)
        return parse_grant(self.grants.get(role, ""))


def snippet_urls(namespace, chooser):
    return {f"{namespace}:": "", f"{chooser}:": ""}


EVERY_STAFF_ROLE = [role for role in ROLES if role not in (PUBLIC, SUPERUSER)]
# The programme's services (programme/): the talent offices keep them; a county its own rows and,
# read only, the other levels' rows that name its experts; the recording office alone changes a row.
SERVICE_GRANTS = {CITY_OFFICE: "VACDHUE", COUNTY_OFFICE: "VACDHUE/own"}


def service_kind(key, label, **urls):
    """A kind of the programme's records (its viewset's namespace is `key`); `urls`: its own extra views."""
    extra = {f"{key}:{name}": letter for name, letter in urls.items()}
    return Kind(key, label, {f"{key}:": "", **extra}, SERVICE_GRANTS, scoped=True, export=True)


def chapter_kind(key, label):
    """A chapter's overview and yearly coverage (programme/viewsets.py's Chapter)."""
    return Kind(
        key,
        f"{label}（概览、覆盖情况）",
        {f"{key}:": "", f"{key}:coverage": "V"},
        {CITY_OFFICE: "V", COUNTY_OFFICE: "V"},
    )


KINDS = [
    # Expert database (专家库) ---------------------------------------------------------------
    Kind(
        "experts",
        "专家人才",
        {
            "experts:": "",
            "experts:remove": "C",
            "experts:restore": "C",
            "experts:reveal": "V",  # a masked phone or e-mail, logged
            "experts:subject_access": "R",
            "experts:anonymise": "R",
        },
        {CITY_OFFICE: "VACHUER", COUNTY_OFFICE: "VACHUER/own", UNIT_LIAISONS: "VE/own"},
        scoped=True,
        export=True,
    ),
    # The one expert chooser of every form (experts/choosers.py), as the walk opens it: without a purpose,
    # the experts in the database one may see. A form's purpose may open it to others (a leader's office
    # for contact records, page editors for public profiles): tests/test_expert_chooser.py.
    Kind(
        "expert_chooser",
        "专家选择（表单中的专家选择器）",
        {"expert_chooser:": ""},
        {CITY_OFFICE: "S", COUNTY_OFFICE: "S/own", UNIT_LIAISONS: "S/own"},
        scoped=True,
    ),
    Kind(
        "expert_imports",
        "专家导入（各人只见自己发起的导入）",
        {
            "experts:import": "I",
            "experts:import_template": "I",
            "experts:import_status": "I",
            "experts:import_progress": "I",
            "experts:import_confirm": "I",
            "experts:import_cancel": "I",
        },
        {CITY_OFFICE: "I/own", COUNTY_OFFICE: "I/own", SUPERUSER: "I/own"},
        scoped=True,
    ),
    Kind("units", "单位", {"experts_unit:": ""}, {CITY_OFFICE: "VACDHU", COUNTY_OFFICE: "VACDHU/own"}, scoped=True),
    Kind(
        "yearly_review",
        "年度调整",
        {"experts_review:index": "V"},
        {CITY_OFFICE: "V", COUNTY_OFFICE: "V/own"},
        scoped=True,
    ),
    # Intake (来信来访) -------------------------------------------------------------------------
    Kind(
        "intake_items",
        "事项队列",
        {
            "intake_item:": "",
            "intake_item:action": "C",
            "intake_item:attachment": "V",
            "intake_item:link_expert": "C",
            "intake_item:draft_answer": "C",
            "intake_item:reissue_code": "C",
            "intake_item:reveal": "V",  # a masked phone or e-mail, logged
        },
        {CITY_OFFICE: "VACHUE", COUNTY_OFFICE: "VACHUE/own"},
        scoped=True,
        export=True,
    ),
    Kind(
        "intake_statistics",
        "月度统计",
        {"intake_statistics:index": "V"},
        {CITY_OFFICE: "VE", COUNTY_OFFICE: "VE/own"},
        scoped=True,
        export=True,
    ),
    # The yearly report (年度工作报告, workbench/): a talent office's year at its level; the workbook
    # (?format=xlsx, or built in the background: its progress and download are the user's own).
    Kind(
        "yearly_report",
        "年度工作报告",
        {"workbench_yearly:index": "V", "workbench_yearly:workbook": "E", "workbench_yearly:download": "E"},
        {CITY_OFFICE: "VE", COUNTY_OFFICE: "VE/own"},
        scoped=True,
    ),
    Kind(
        "public_answers",
        "公开答复",
        snippet_urls("intake_public_answer", "wagtailsnippetchoosers_intake_publicanswer"),
        {CITY_OFFICE: "VACPHUS", COUNTY_OFFICE: "VCHUS/own"},
        scoped=True,
    ),
    Kind(
        "reply_templates",
        "答复模板",
        snippet_urls("wagtailsnippets_intake_replytemplate", "wagtailsnippetchoosers_intake_replytemplate"),
        {CITY_OFFICE: "VACDHUS", COUNTY_OFFICE: "VS"},
    ),
    Kind("departments", "承办部门", {"intake_department:": ""}, {CITY_OFFICE: "VACHU", COUNTY_OFFICE: "V"}),
    # A department's users (承办部门) handle the items assigned to their department, there only.
    Kind(
        "department_items",
        "本部门承办事项",
        {"intake_dept:": "", "intake_dept:action": "C"},
        {DEPARTMENT_USERS: "VC/own"},
        scoped=True,
    ),
    # The talent mailbox is the city's: what the portal could not register, and 已人工处理.
    Kind(
        "mailbox",
        "邮箱未登记邮件",
        {"inbox_message:index": "V", "inbox_message:index_results": "V", "inbox_message:handle": "C"},
        {CITY_OFFICE: "VC"},
    ),
    # Liaison work (联系服务) -------------------------------------------------------------------
    Kind(
        "leaders",
        "联系领导",
        {"liaison_leader:": ""},
        {CITY_OFFICE: "VACHU", COUNTY_OFFICE: "VACHU/own", LEADERS: "V/own", LEADER_OFFICES: "V/own"},
        scoped=True,
    ),
    Kind(
        "pairings",
        "结对联系",
        {"liaison_pairing:": "", "liaison_pairing:end": "C"},
        {CITY_OFFICE: "VACHU", COUNTY_OFFICE: "VACHU/own", LEADERS: "V/own", LEADER_OFFICES: "V/own"},
        scoped=True,
    ),
    Kind(
        "quota",
        "结对名额",
        {"liaison_quota:index": "V"},
        {CITY_OFFICE: "V", COUNTY_OFFICE: "V/own", LEADERS: "V/own", LEADER_OFFICES: "V/own"},
        scoped=True,
    ),
    Kind(
        "offices",
        "领导办公室",
        {"liaison_office:": ""},
        {CITY_OFFICE: "VACHU", COUNTY_OFFICE: "VACHU/own"},
        scoped=True,
    ),
    Kind(
        "contacts",
        "联系记录",
        {"liaison_contacts:": "", "liaison_contacts:attachment": "V"},
        {CITY_OFFICE: "VACHU", COUNTY_OFFICE: "VACHU/own", LEADERS: "VH/own", LEADER_OFFICES: "VACHU/own"},
        scoped=True,
    ),
    Kind(
        "follow_ups",
        "问题跟踪",
        {"liaison_followups:": "", "liaison_followups:status": "C"},
        {CITY_OFFICE: "VCH", COUNTY_OFFICE: "VCH/own", LEADERS: "VH/own", LEADER_OFFICES: "VCH/own"},
        scoped=True,
    ),
    Kind(
        "reports",
        "五报告",
        {"liaison_reports:": "", "liaison_reports:accept": "C", "liaison_reports:return": "C"},
        {
            CITY_OFFICE: "VCHUE",
            COUNTY_OFFICE: "VCHUE/own",
            UNIT_LIAISONS: "VACHUE/own",
            LEADERS: "VHUE/own",
            LEADER_OFFICES: "VHUE/own",
        },
        scoped=True,
        export=True,
    ),
    Kind(
        "must_visits",
        "必访事项",
        {"liaison_visits:": ""},
        {CITY_OFFICE: "V", COUNTY_OFFICE: "V/own", LEADERS: "V/own", LEADER_OFFICES: "V/own"},
        scoped=True,
    ),
    # The leader chooser of those lists' 联系领导 / 参加领导 filters (liaison/choosers.py).
    Kind(
        "leader_chooser",
        "领导选择（列表筛选中的领导选择器）",
        {"leader_chooser:": ""},
        {CITY_OFFICE: "S", COUNTY_OFFICE: "S/own", LEADERS: "S/own", LEADER_OFFICES: "S/own"},
        scoped=True,
    ),
    Kind(
        "leader_page",
        "我的联系工作",
        {"liaison_mine:index": "V"},
        {CITY_OFFICE: "V", COUNTY_OFFICE: "V/own", LEADERS: "V/own", LEADER_OFFICES: "V/own"},
        scoped=True,
    ),
    Kind(
        "calendar_feed",
        "日历订阅（领导工作台上开启、重新生成、停用）",
        {"reminders_calendar:rotate": "C", "reminders_calendar:revoke": "C"},
        {CITY_OFFICE: "C", COUNTY_OFFICE: "C/own", LEADERS: "C/own"},
        scoped=True,
    ),
    Kind(
        "calendar",
        "工作日历",
        {"liaison_calendar:index": "V"},
        {CITY_OFFICE: "V", COUNTY_OFFICE: "V/own", LEADERS: "V/own", LEADER_OFFICES: "V/own"},
        scoped=True,
    ),
    Kind(
        "coverage",
        "六活动覆盖",
        {"liaison_coverage:index": "V"},
        {CITY_OFFICE: "VE", COUNTY_OFFICE: "VE/own"},
        scoped=True,
        export=True,
    ),
    # Programme services (关心关爱、政治引领、决策咨询、宣传、创新创业) ----------------------------------------
    # care
    chapter_kind("care", "关心关爱"),
    service_kind("care_checkups", "集中体检", attendance="C"),
    service_kind("care_recuperation", "休假疗养", attendance="C"),
    service_kind("care_green_channel", "诊疗绿色通道"),
    service_kind("care_lectures", "健康知识讲座"),
    service_kind("care_family_support", "帮扶事项"),
    # guidance
    chapter_kind("guidance", "政治引领"),
    service_kind("guidance_study", "研修培训"),
    service_kind("guidance_grassroots", "人才下基层"),
    service_kind("guidance_recommendations", "推荐与吸纳"),
    service_kind("guidance_party_development", "发展党员"),
    # consulting
    chapter_kind("consulting", "决策咨询"),
    service_kind("consulting_groups", "产业发展小组"),
    service_kind("consulting_consultations", "决策咨询"),
    service_kind("consulting_science", "科普活动"),
    # publicity
    chapter_kind("publicity", "宣传报道"),
    service_kind("publicity_activities", "宣传活动"),
    # innovation
    chapter_kind("innovation", "创新创业支持"),
    service_kind("innovation_support", "支持记录"),
    # Public site (网站内容): no editorial role publishes; the review workflow does --------------------
    Kind(
        "pages",
        "页面",
        {
            "wagtailadmin_pages:": "",
            "wagtailadmin_explore_root": "V",
            "wagtailadmin_explore": "V",
            "wagtailadmin_explore_results": "V",
            "wagtailadmin_pages:view_draft": "V",
            "wagtailadmin_pages:search": "V",
            "wagtailadmin_pages:search_results": "V",
            "wagtailadmin_pages:type_use": "V",
            "wagtailadmin_pages:type_use_results": "V",
            "wagtailadmin_pages:choose_parent": OPEN,  # lists only the parents one may add under
            "wagtailadmin_pages:copy": "C",  # the form; the copy itself needs add rights where it goes
            "wagtailadmin_pages:add_subpage": "A",
            "wagtailadmin_pages:move": "M",
            "wagtailadmin_pages:move_confirm": OPEN,
            "wagtailadmin_pages:set_page_position": "M",
            "wagtailadmin_pages:convert_alias": "C",
            "wagtailadmin_pages:set_privacy": "M",
            "wagtailadmin_pages:revisions_index": OPEN,  # only redirects to the history
            "wagtailadmin_pages:workflow_history": "H",
            "wagtailadmin_pages:workflow_history_detail": "H",
            "wagtailadmin_pages:workflow_action": "C",
            "wagtailadmin_pages:collect_workflow_action_data": "C",
            "wagtailadmin_pages:confirm_workflow_cancellation": OPEN,
            "wagtailadmin_pages:workflow_preview": "H",
            "wagtailadmin_choose_page": OPEN,
            "wagtailadmin_choose_page_child": OPEN,
            "wagtailadmin_choose_page_search": OPEN,
            "wagtailadmin_choose_page_chosen_multiple": OPEN,
            "wagtailadmin_api:pages:listing": OPEN,
            "wagtailadmin_api:pages:detail": "V",
            "wagtailadmin_api:pages:find": OPEN,
            "wagtailadmin_api:pages:action": "P",
        },
        {EDITORS: "VACHU", REVIEWERS: "VCHU", FINAL_REVIEWERS: "VCHU"},
    ),
    Kind(
        "special_columns",
        "专题专栏",
        {
            "wagtailsnippets_spotlight_specialcolumn:": "",
            "wagtailsnippetchoosers_spotlight_specialcolumn:choose": OPEN,
            "wagtailsnippetchoosers_spotlight_specialcolumn:choose_results": OPEN,
            "wagtailsnippetchoosers_spotlight_specialcolumn:chosen": OPEN,
            "wagtailsnippetchoosers_spotlight_specialcolumn:chosen_multiple": OPEN,
            "wagtailsnippetchoosers_spotlight_specialcolumn:create": "A",
            "wagtailsnippets_spotlight_specialcolumn:workflow_action": "C",
            "wagtailsnippets_spotlight_specialcolumn:collect_workflow_action_data": "C",
            "wagtailsnippets_spotlight_specialcolumn:confirm_workflow_cancellation": OPEN,
            "wagtailsnippets_spotlight_specialcolumn:workflow_history": "H",
            "wagtailsnippets_spotlight_specialcolumn:workflow_history_detail": "H",
            "wagtailsnippets_spotlight_specialcolumn:workflow_preview": "H",
        },
        {EDITORS: "VACHU", REVIEWERS: "VCHU", FINAL_REVIEWERS: "VCHU"},
    ),
    Kind(
        "images",
        "图片",
        {
            "wagtailimages:": "",
            "wagtailimages:image_usage": "U",
            "wagtailimages:url_generator": "C",
            "wagtailimages:url_generator_output": "C",
            "wagtailimages:preview": "C",
            "wagtailimages:add_multiple": "A",
            "wagtailimages:edit_multiple": "C",
            "wagtailimages:create_multiple_from_uploaded_image": "A",
            "wagtailimages:delete_multiple": "D",
            "wagtailimages:delete_upload_multiple": "A",
            "wagtailimages_chooser:choose": OPEN,
            "wagtailimages_chooser:choose_results": OPEN,
            "wagtailimages_chooser:chosen_multiple": OPEN,
            "wagtailimages_chooser:chosen": "S",
            "wagtailimages_chooser:create": "A",
            "wagtailimages_chooser:select_format": "S",
            "wagtailadmin_api:images:listing": OPEN,
            "wagtailadmin_api:images:detail": OPEN,
            "wagtailadmin_api:images:find": OPEN,
        },
        {EDITORS: "VACDUS", REVIEWERS: "VACDUS", FINAL_REVIEWERS: "VACDUS"},
    ),
    Kind(
        "documents",
        "文档",
        {
            "wagtaildocs:": "",
            "wagtaildocs:document_usage": "U",
            "wagtaildocs:add_multiple": "A",
            "wagtaildocs:edit_multiple": "C",
            "wagtaildocs:create_multiple_from_uploaded_document": "A",
            "wagtaildocs:delete_multiple": "D",
            "wagtaildocs:delete_upload_multiple": "A",
            "wagtaildocs_chooser:choose": OPEN,
            "wagtaildocs_chooser:choose_results": OPEN,
            "wagtaildocs_chooser:chosen_multiple": OPEN,
            "wagtaildocs_chooser:chosen": "S",
            "wagtaildocs_chooser:create": "A",
            "wagtailadmin_api:documents:listing": OPEN,
            "wagtailadmin_api:documents:detail": OPEN,
            "wagtailadmin_api:documents:find": OPEN,
        },
        {EDITORS: "VACDUS", REVIEWERS: "VACDUS", FINAL_REVIEWERS: "VACDUS"},
    ),
    Kind("collections", "文件夹", {"wagtailadmin_collections:": "", "wagtailadmin_collections:set_privacy": "C"}),
    Kind("embeds", "嵌入媒体", {"wagtailembeds:chooser": OPEN, "wagtailembeds:chooser_upload": OPEN}),
    Kind(
        "form_submissions",
        "表单提交",
        {
            "wagtailforms:": "",
            "wagtailforms:list_submissions": "V",
            "wagtailforms:list_submissions_results": "V",
            "wagtailforms:delete_submissions": "D",
        },
        {EDITORS: "V", REVIEWERS: "V", FINAL_REVIEWERS: "V"},
    ),
    Kind(
        "page_reports",
        "页面报表",
        {
            "wagtailadmin_reports:workflow": "V",
            "wagtailadmin_reports:workflow_results": "V",
            "wagtailadmin_reports:workflow_tasks": "V",
            "wagtailadmin_reports:workflow_tasks_results": "V",
            "wagtailadmin_reports:aging_pages": "V",
            "wagtailadmin_reports:aging_pages_results": "V",
            "wagtailadmin_reports:page_types_usage": "V",
            "wagtailadmin_reports:page_types_usage_results": "V",
            "admin/reports/workflow/": "V",
            "admin/reports/workflow/results/": "V",
            "admin/reports/workflow_tasks/": "V",
            "admin/reports/workflow_tasks/results/": "V",
            "admin/reports/aging-pages/": "V",
            "admin/reports/aging-pages/results/": "V",
            "admin/reports/page-types-usage/": "V",
            "admin/reports/page-types-usage/results/": "V",
        },
        {EDITORS: "VE", REVIEWERS: "VE", FINAL_REVIEWERS: "VE"},
        export=True,
    ),
    Kind(
        "locked_pages",
        "已锁定的页面",
        {
            "wagtailadmin_reports:locked_pages": "V",
            "wagtailadmin_reports:locked_pages_results": "V",
            "admin/reports/locked/": "V",
            "admin/reports/locked/results/": "V",
        },
        export=True,
    ),
    Kind(
        "audit",
        "操作审计",
        {"security_audit": "V", "security_audit_results": "V"},
        {CITY_OFFICE: "VE", COUNTY_OFFICE: "VE/own"},
        scoped=True,
        export=True,
    ),
    Kind(
        "sign_in_security",
        "登录安全（锁定、账号）",
        {"security_lockouts": "V", "security_accounts": "V", "security_account": "V"},
        {CITY_OFFICE: "V"},
    ),
    # One's own sign-in: the second factor is required of superusers and the city office, who may not remove it;
    # a department's user, like a county's office, sees only its own items and may choose it.
    Kind(
        "own_sign_in",
        "本人登录安全（双重验证、退出所有设备）",
        {
            "security_sign_out_everywhere": "V",
            "security_two_factor": "V",
            "security_two_factor_codes": "C",
            "security_two_factor_remove": "D",
        },
        dict.fromkeys(EVERY_STAFF_ROLE, "VCD") | {CITY_OFFICE: "VC", SUPERUSER: "VC"},
    ),
    # Records of what happened (操作记录): Wagtail shows each role the entries of what it may see -----
    Kind(
        "site_history",
        "网站历史",
        {
            "wagtailadmin_reports:site_history": "V",
            "wagtailadmin_reports:site_history_results": "V",
            "admin/reports/site-history/": "V",
            "admin/reports/site-history/results/": "V",
        },
        dict.fromkeys(EVERY_STAFF_ROLE, "VE"),
        export=True,
    ),
    # Administration (设置): superusers only ----------------------------------------------------------
    Kind("users", "用户", {"wagtailusers_users:": ""}),
    Kind("groups", "用户组", {"wagtailusers_groups:": ""}),
    Kind("sites", "站点", {"wagtailsites:": ""}),
    Kind("settings", "站点设置", {"wagtailsettings:": ""}),
    Kind(
        "redirects",
        "重定向",
        {
            "wagtailredirects:": "",
            "wagtailredirects:start_import": "I",
            "wagtailredirects:process_import": "I",
            "admin/redirects/": "V",
            "admin/redirects/results/": "V",
        },
        export=True,
    ),
    Kind(
        "workflows",
        "审核流程",
        {
            "wagtailadmin_workflows:": "",
            "wagtailadmin_workflows:enable": "C",
            "wagtailadmin_workflows:disable": "C",
            "wagtailadmin_workflows:remove": "C",
            "wagtailadmin_workflows:add_task": "A",
            "wagtailadmin_workflows:select_task_type": "A",
            "wagtailadmin_workflows:task_index": "V",
            "wagtailadmin_workflows:task_index_results": "V",
            "wagtailadmin_workflows:edit_task": "C",
            "wagtailadmin_workflows:disable_task": "C",
            "wagtailadmin_workflows:enable_task": "C",
            "wagtailadmin_workflows:task_chooser": OPEN,
            "wagtailadmin_workflows:task_chooser_results": OPEN,
            "wagtailadmin_workflows:task_chooser_create": OPEN,
            "wagtailadmin_workflows:task_chosen": OPEN,
            "wagtailadmin_workflows:usage_results": "U",
        },
    ),
    Kind(
        "snippet_types",
        "片段",
        {"wagtailsnippets:index": "V"},
        {CITY_OFFICE: "V", COUNTY_OFFICE: "V"},
    ),
    # The admin's frame: the dashboard, one's own account, the pieces every screen loads -------------
    Kind(
        "admin_frame",
        "后台首页与个人设置",
        dict.fromkeys(
            [
                "wagtailadmin_home",
                "staff_guide",  # 使用指南: shows each role only its own sections
                "wagtailadmin_account",
                "wagtailadmin_dismissibles",
                "wagtailadmin_tag_autocomplete",
                "wagtailadmin_tag_model_autocomplete",
                "wagtailadmin_choose_page_external_link",
                "wagtailadmin_choose_page_email_link",
                "wagtailadmin_choose_page_phone_link",
                "wagtailadmin_choose_page_anchor_link",
                "wagtailadmin_block_preview",
                "wagtail_bulk_action",
                "wagtailadmin_editing_sessions:ping",
                "wagtailadmin_editing_sessions:release",
                "wagtailadmin_logout",
                "wagtailadmin_login",
                "wagtailadmin_password_reset",
                "wagtailadmin_password_reset_done",
                "wagtailadmin_password_reset_confirm",
                "wagtailadmin_password_reset_complete",
                "security_two_factor_verify",
                "wagtailadmin_error_test",
                "admin/test404/",
                "admin/^.*/$",
            ],
            OPEN,
        )
        | {"wagtailadmin_javascript_catalog": ANYONE, "wagtailadmin_sprite": ANYONE},
    ),
]


def owner_of(url_key):
    """(kind, operation letter) of the admin URL named `url_key` (its route if it has no name), or None."""
    for kind in KINDS:
        if kind.urls.get(url_key):
            return kind, kind.urls[url_key]
    namespace, _, name = url_key.rpartition(":")
    for kind in KINDS:
        if namespace and f"{namespace}:" in kind.urls and name in STANDARD_URLS:
            return kind, STANDARD_URLS[name]
    return None


# The README's table -------------------------------------------------------------------------

README_START = "<!-- role-matrix -->"
README_END = "<!-- /role-matrix -->"
OWN_MEANS = {
    COUNTY_OFFICE: "its county's rows",
    UNIT_LIAISONS: "the rows of the experts of its units",
    LEADERS: "the leader's own rows (their pairings, contacts, reports of experts they are paired with)",
    LEADER_OFFICES: "the rows of the leaders of its body and level",
    DEPARTMENT_USERS: "the items assigned to its department (in the department's level)",
    CITY_OFFICE: "(imports only) the imports one started",
    SUPERUSER: "(imports only) the imports one started",
}


def _cell(kind, role):
    letters = set(kind.urls.values())
    if letters <= {OPEN, ANYONE}:  # no operation of its own: helpers every staff member reaches
        return "open" if role != PUBLIC or letters == {ANYONE} else "—"
    if role == PUBLIC:
        return "—"
    granted = kind.operations(role)
    if role == SUPERUSER and SUPERUSER not in kind.grants:
        return "all"
    every = "".join(letter for letter in OPERATIONS if granted.get(letter) == ALL)
    own = "".join(letter for letter in OPERATIONS if granted.get(letter) == OWN)
    parts = [every] if every else []
    if own:
        parts.append(f"own {own}")
    return " + ".join(parts) or "—"


def readme_block():
    """The text between the README's markers: the table, its legend and the URLs open to every role."""
    lines = [
        "| Kind of record or page | " + " | ".join(ROLES) + " |",
        "|" + " --- |" * (len(ROLES) + 1),
    ]
    for kind in KINDS:
        lines.append(f"| {kind.label} | " + " | ".join(_cell(kind, role) for role in ROLES) + " |")
    lines += ["", "Letters: " + "; ".join(f"{letter} {meaning}" for letter, meaning in OPERATIONS.items()) + "."]
    lines.append("“own” means, for " + "; for ".join(f"{role}, {means}" for role, means in OWN_MEANS.items()) + ".")
    lines.append(
        "Beyond the letters, every signed-in staff member reaches Wagtail's helpers that show nothing a role may not see:"
    )
    for kind in KINDS:
        urls = [key for key, letter in kind.urls.items() if letter == OPEN]
        if urls and not set(kind.urls.values()) <= {OPEN, ANYONE}:
            lines.append(f"- {kind.label}: " + ", ".join(f"`{key}`" for key in urls))
    anyone = [key for kind in KINDS for key, letter in kind.urls.items() if letter == ANYONE]
    lines.append("- anyone, signed in or not (the sign-in page loads them): " + ", ".join(f"`{key}`" for key in anyone))
    return "\n".join(lines)


if __name__ == "__main__":
    print(f"{README_START}\n{readme_block()}\n{README_END}")
