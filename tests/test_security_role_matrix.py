"""Every role against every admin URL of every kind of record, expecting exactly what the role matrix
(security/role_matrix.py) says.

One data set for the module holds, for each kind, a row of the signed-in role's own (兴宾区, its
unit, its leader) and a row of another's (合山市, another unit, another leader). Each request runs
in a savepoint that is rolled back, so what one request does never changes what the next sees.

What the app answers, and how the walk reads it:
- ok: 200 (an export: 200 with a spreadsheet);
- login: a redirect to the sign-in page (not signed in);
- refused: Wagtail's "no permission" (a redirect to the dashboard with a message) or a 403;
- missing: 404, for a row the role may not see at all: another county's row does not exist for it.
A row the role may see but not act on is refused; a row it may not see is missing.
"""

import datetime
import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Page, Site, Task, Workflow

from base.models import PortalSettings
from experts.models import ExpertImport, ImportState, Unit, UnitType
from inbox.models import MailboxMessage, State
from intake import workflow
from intake.models import Department, Kind, PublicAnswer, ReplyTemplate
from liaison.models import Body, ContactAttachment, EventKind, LeaderOffice, MustVisit, VisitReason
from programme.kinds import KINDS as SERVICE_KINDS
from security.role_matrix import (
    ALL,
    ANYONE,
    KINDS,
    OPEN,
    OWN,
    PUBLIC,
    README_END,
    README_START,
    ROLES,
    SUPERUSER,
    owner_of,
    readme_block,
)
from spotlight.models import SpecialColumn
from staff.levels import Level
from staff.models import StaffProfile
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
from tests.experts_builders import make_expert
from tests.intake_builders import image_upload, new_item, pdf_upload
from tests.liaison_builders import contact, make_follow_up, make_leader, pair, report
from tests.programme_builders import sample_record
from tests.public_builders import build_sections

OWN_SIDE, OTHER_SIDE = "own", "other"
OTHER_MARK = "乙"  # ends the names of the other side's experts, units, leaders, items and answers
SPREADSHEETS = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# Admin URLs the walk does not request, each with the reason; they still belong to a kind above.
UNWALKED = {
    "wagtailadmin_login": "the sign-in page itself (security tests cover it)",
    "wagtailadmin_logout": "signs out; every role may",
    "wagtailadmin_password_reset": "public password-reset flow, not a record",
    "wagtailadmin_password_reset_done": "public password-reset flow, not a record",
    "wagtailadmin_password_reset_confirm": "public password-reset flow, not a record",
    "wagtailadmin_password_reset_complete": "public password-reset flow, not a record",
    "wagtailadmin_error_test": "raises on purpose to test error pages",
    "security_two_factor_verify": "the second sign-in step, for one half signed in (tests/test_security_two_factor.py)",
    "admin/test404/": "renders the 404 page on purpose",
    "admin/^.*/$": "Wagtail's catch-all 404 for unknown admin paths",
    "wagtailadmin_editing_sessions:ping": "POST-only pings of an open editor",
    "wagtailadmin_editing_sessions:release": "POST-only pings of an open editor",
    "wagtailadmin_block_preview": "renders a StreamField block given in the query",
    "wagtail_bulk_action": "Wagtail's bulk actions check each object with the model's permission policy",
    "wagtailimages:create_multiple_from_uploaded_image": "needs an upload in progress",
    "wagtailimages:delete_upload_multiple": "needs an upload in progress",
    "wagtaildocs:create_multiple_from_uploaded_document": "needs an upload in progress",
    "wagtaildocs:delete_upload_multiple": "needs an upload in progress",
    "wagtailadmin_pages:workflow_action": "needs a task in progress (tests/test_publishing_workflow.py)",
    "wagtailadmin_pages:collect_workflow_action_data": "needs a task in progress (tests/test_publishing_workflow.py)",
    "wagtailadmin_pages:workflow_preview": "needs a task in progress (tests/test_publishing_workflow.py)",
    "wagtailadmin_pages:workflow_history_detail": "needs a workflow state (tests/test_publishing_workflow.py)",
    "wagtailsnippets_spotlight_specialcolumn:workflow_action": "needs a task in progress",
    "wagtailsnippets_spotlight_specialcolumn:collect_workflow_action_data": "needs a task in progress",
    "wagtailsnippets_spotlight_specialcolumn:workflow_preview": "needs a task in progress",
    "wagtailsnippets_spotlight_specialcolumn:workflow_history_detail": "needs a workflow state",
    "wagtailadmin_pages:convert_alias": "needs an alias page; the site makes none",
    "wagtailimages:url_generator": "needs Wagtail's dynamic image serve view, which the site does not route",
    "wagtailimages:url_generator_output": "needs Wagtail's dynamic image serve view, which the site does not route",
    "wagtailforms:list_submissions": "needs a form page; the site has none (intake uses its own forms)",
    "wagtailforms:list_submissions_results": "needs a form page; the site has none",
    "wagtailforms:delete_submissions": "needs a form page; the site has none",
    "wagtailsettings:preview_on_edit": "the portal's settings are not previewable",
    "wagtailredirects:process_import": "needs the file start_import took (Wagtail raises on an empty POST)",
    "wagtailadmin_api:pages:find": "needs a query naming the page; listing and detail are walked",
    "wagtailadmin_api:images:find": "needs a query naming the image; listing and detail are walked",
    "wagtailadmin_api:documents:find": "needs a query naming the document; listing and detail are walked",
}


# The admin's URLs ---------------------------------------------------------------------------


def _walk(patterns, route="", namespace="", params=()):
    for pattern in patterns:
        names = (
            tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern.pattern, RegexPattern)
            else tuple(pattern.pattern.converters)
        )
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else pattern.namespace or namespace
            )
            yield from _walk(pattern.url_patterns, route + str(pattern.pattern), inner or "", params + names)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route + str(pattern.pattern), name, params + names


def admin_urls():
    """(key, URL name or None, parameter names) of every admin URL; the key is the name, else the route."""
    seen = set()
    for route, name, params in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") and (name or route) not in seen:
            seen.add(name or route)
            yield name or route, name, params


# The data set -------------------------------------------------------------------------------


def make_user(username, group=None, level=None, **fields):
    user = User.objects.create_user(username, password="pw", **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if level:
        StaffProfile.objects.create(user=user, level=level)
    return user


def build_world():
    root = make_user("root", is_superuser=True, is_staff=True)
    users = {
        PUBLIC: None,
        SUPERUSER: root,
        EDITORS: make_user("editor", EDITORS),
        REVIEWERS: make_user("reviewer", REVIEWERS),
        FINAL_REVIEWERS: make_user("final", FINAL_REVIEWERS),
        CITY_OFFICE: make_user("city", CITY_OFFICE, Level.CITY),
        COUNTY_OFFICE: make_user("county", COUNTY_OFFICE, Level.XINGBIN),
    }
    other_county = make_user("other-county", COUNTY_OFFICE, Level.HESHAN)
    rows = defaultdict(dict)
    for side, level, suffix in ((OWN_SIDE, Level.XINGBIN, "甲"), (OTHER_SIDE, Level.HESHAN, OTHER_MARK)):
        unit = Unit.objects.create(name=f"单位{suffix}", level=level, unit_type=UnitType.HOSPITAL)
        expert = make_expert(root, unit, name=f"专家{suffix}")
        liaison = make_user(f"liaison-{side}", UNIT_LIAISONS, level)
        unit.liaisons.add(liaison)
        leader = make_leader(name=f"领导{suffix}", level=level, body=Body.PARTY, post="书记")
        leader.user = make_user(f"leader-{side}", LEADERS)
        leader.save(update_fields=["user"])
        office_user = make_user(f"office-{side}", LEADER_OFFICES)
        office = LeaderOffice.objects.create(body=Body.PARTY, level=level)
        office.members.add(office_user)
        pairing = pair(leader, expert)
        record = contact([leader], [expert], level=level)
        attachment = ContactAttachment.objects.create(
            record=record, file=ContentFile(pdf_upload().read(), name="材料.pdf"), name="材料.pdf"
        )
        follow_up = make_follow_up(record, expert, due_on=record.date)
        filed = report(liaison, expert, kind=EventKind.ACHIEVEMENT)
        MustVisit.objects.create(
            leader=leader, expert=expert, reason=VisitReason.ACHIEVEMENT, report=filed, due_on=record.date
        )
        item, _ = new_item(level=level, name=expert.name, subject=f"事项{suffix}", attachment=pdf_upload())
        answer = PublicAnswer.objects.create(
            item=item,
            kind=Kind.HELP,
            question_title=f"答复{suffix}",
            question="问",
            answer="答",
            answered_on="2026-11-01",
        )
        answer.save_revision(user=root)
        # An item assigned to the side's department, whose user handles it.
        department = Department.objects.create(name=f"部门{suffix}", level=level)
        department_user = make_user(f"department-{side}", DEPARTMENT_USERS)
        department.members.add(department_user)
        assigned, _ = new_item(level=level, subject=f"承办事项{suffix}")
        workflow.accept(assigned, root)
        workflow.assign(assigned, root, department=department, due_date=datetime.date(2099, 1, 1))
        rows["department_items"][side] = assigned
        rows["experts"][side] = expert
        rows["units"][side] = unit
        rows["intake_items"][side] = item
        rows["public_answers"][side] = answer
        rows["leaders"][side] = leader
        rows["offices"][side] = office
        rows["pairings"][side] = pairing
        rows["contacts"][side] = record
        rows["contact_attachments"][side] = attachment
        rows["follow_ups"][side] = follow_up
        rows["reports"][side] = filed
        for key, service_kind in SERVICE_KINDS.items():  # every kind of the programme's records
            rows[key][side] = sample_record(service_kind, expert, level=level, mark=suffix)
        if side == OWN_SIDE:
            users[UNIT_LIAISONS] = liaison
            users[LEADERS] = leader.user
            users[LEADER_OFFICES] = office_user
            users[DEPARTMENT_USERS] = department_user

    # Imports are their starter's own: each role has one, and sees another's as another county's.
    other_import = ExpertImport.objects.create(
        started_by=other_county, level=Level.HESHAN, file_name="专家.xlsx", state=ImportState.READY
    )
    for role, user in users.items():
        if user is not None:
            own_import = ExpertImport.objects.create(
                started_by=user, level=Level.XINGBIN, file_name="专家.xlsx", state=ImportState.READY
            )
            rows["expert_imports"][role] = {OWN_SIDE: own_import, OTHER_SIDE: other_import}

    sections = build_sections()
    news = sections["news"]
    news.save_revision(user=root)
    column = SpecialColumn.objects.create(name="人才下基层", slug="xia-jiceng", description="专栏", live=False)
    column.save_revision(user=root)
    image = Image.objects.create(title="图片", file=image_upload())
    document = Document.objects.create(title="文档", file=ContentFile(b"text", name="doc.txt"))
    collection = Collection.get_first_root_node().add_child(name="文件夹")
    site = Site.objects.get(is_default_site=True)
    single = {
        "pages": news,
        "special_columns": column,
        "images": image,
        "documents": document,
        "collections": collection,
        "reply_templates": ReplyTemplate.objects.create(title="模板", kind=Kind.HELP, body="您好"),
        "departments": Department.objects.create(name="市科技局"),
        "mailbox": MailboxMessage.objects.create(
            message_key="<held@example.cn>", state=State.HELD, reason="附件格式不符", folder="未能登记"
        ),
        "redirects": Redirect.objects.create(old_path="/old", redirect_link="/"),
        "users": users[COUNTY_OFFICE],
        "groups": Group.objects.get(name=EDITORS),
        "sites": site,
        "settings": PortalSettings.for_site(site),
        "workflows": Workflow.objects.get(active=True),
        "form_submissions": news,
        "tasks": Task.objects.first(),
    }
    for key, row in single.items():
        rows[key] = {OWN_SIDE: row, OTHER_SIDE: row}
    return users, dict(rows)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, migration_snapshot):
    with django_db_blocker.unblock(), transaction.atomic():
        users, rows = build_world()
        yield {"users": users, "rows": rows}
        transaction.set_rollback(True)


# The walk -----------------------------------------------------------------------------------

ROW_PARAMS = (
    "pk",
    "page_id",
    "parent_page_id",
    "page_to_move_id",
    "image_id",
    "document_id",
    "doc_id",
    "redirect_id",
    "collection_id",
    "page_pk",
)
GHOST_ID = 987654321  # no row has it

# URLs whose row is not one of their kind's own rows.
ROW_KINDS = {
    "liaison_contacts:attachment": "contact_attachments",
    "expert_chooser:chosen": "experts",
    "leader_chooser:chosen": "leaders",
    "wagtailadmin_workflows:edit_task": "tasks",
    "wagtailadmin_workflows:disable_task": "tasks",
    "wagtailadmin_workflows:enable_task": "tasks",
    "security_account": "users",
    "reminders_calendar:rotate": "leaders",
    "reminders_calendar:revoke": "leaders",
}
# Arguments that name a model rather than a row.
ARGUMENTS = {
    "wagtailsettings:edit": {"app_name": "base", "model_name": "portalsettings"},
    "wagtailsettings:preview_on_edit": {"app_name": "base", "model_name": "portalsettings"},
    "wagtailadmin_tag_model_autocomplete": {"app_name": "taggit", "model_name": "tag"},
    "wagtailadmin_workflows:add_task": {"app_label": "wagtailcore", "model_name": "groupapprovaltask"},
    "wagtailadmin_workflows:remove": {"page_pk": lambda: Page.get_first_root_node().pk},  # where the workflow is
    "wagtailadmin_api:pages:action": {"action_name": "publish"},
    "experts:reveal": {"field": "mobile"},
    "intake_item:reveal": {"field": "mobile"},
}
PAGE_TYPE = {
    "content_type_app_name": "news",
    "content_type_model_name": "newspage",
    "app_label": "news",
    "model_name": "newspage",
}

# Views that only answer POST (the walk posts, in a rolled-back savepoint, an empty form or this).
POST_DATA = {
    # Each item names the expert of its side: the one it offers to link.
    "intake_item:link_expert": lambda world, side: {"expert": world["rows"]["experts"][side].pk},
}
POST_ONLY = {
    *POST_DATA,
    "wagtailadmin_api:pages:action",
    "experts:reveal",
    "intake_item:reveal",
    "security_two_factor_codes",
    "security_two_factor_remove",
    "experts:import_confirm",
    "experts:import_cancel",
    "intake_item:draft_answer",
    "intake_item:reissue_code",
    "wagtailadmin_pages:set_page_position",
    "wagtailadmin_pages:lock",
    "wagtailadmin_pages:unlock",
    "wagtailsnippets_spotlight_specialcolumn:lock",
    "wagtailsnippets_spotlight_specialcolumn:unlock",
    "wagtailimages:edit_multiple",
    "wagtailimages:delete_multiple",
    "wagtaildocs:edit_multiple",
    "wagtaildocs:delete_multiple",
    "wagtailadmin_workflows:enable",
    "wagtailadmin_workflows:remove",
    "wagtailadmin_workflows:enable_task",
    "reminders_calendar:rotate",
    "reminders_calendar:revoke",
}

# Wagtail's own answers that differ from the walk's rule: these views look only among the rows the user
# may act on (the collections one manages, the pages one may explore), so any other row is a 404.
HIDDEN_FROM_THE_UNPERMITTED = {
    "wagtailadmin_collections:delete",
    "wagtailadmin_api:pages:detail",
    "wagtailadmin_api:pages:action",
    "experts:reveal",
    "intake_item:reveal",
}

# Steps that follow a record's state as well as the role: who may take them in the data set's state.
STEPS = {
    # Own reports wait at the county: its office accepts or returns them, the city office later.
    "liaison_reports:accept": {COUNTY_OFFICE},
    "liaison_reports:return": {COUNTY_OFFICE},
    # Only the liaison who filed a report edits it, once it comes back to them: none has yet.
    "liaison_reports:edit": set(),
}


def url_arguments(kind, key, params, row):
    """The URL's keyword arguments for `row`, or None if the URL needs what the walk does not give."""
    kwargs = {}
    for param in params:
        if param in ARGUMENTS.get(key, {}):
            value = ARGUMENTS[key][param]
            kwargs[param] = value() if callable(value) else value
        elif param in ROW_PARAMS:
            kwargs[param] = GHOST_ID if row is None else row.pk
        elif param in PAGE_TYPE:
            kwargs[param] = PAGE_TYPE[param]
        elif param == "revision_id":
            kwargs[param] = row.latest_revision_id
        elif param == "revision_id_a":
            kwargs[param] = "earliest"
        elif param == "revision_id_b":
            kwargs[param] = "latest"
        elif param == "action":
            kwargs[param] = "accept"
        elif param == "destination_id":
            kwargs[param] = row.get_parent().pk
        elif param == "filter_spec":
            kwargs[param] = "original"
        elif param == "workflow_pk":
            kwargs[param] = Workflow.objects.get(active=True).pk
        elif param == "task_id":
            kwargs[param] = Task.objects.first().pk
        else:
            return None
    return kwargs


def row_of(world, kind, key, role, side):
    rows = world["rows"].get(ROW_KINDS.get(key, kind.key))
    if rows is None:
        return None
    if kind.key == "expert_imports":
        other = rows[SUPERUSER][OTHER_SIDE]
        rows = rows.get(role, {OWN_SIDE: other, OTHER_SIDE: other})
    return rows[side]


def requests_of(kind, world, role):
    """(key, operation, side, whether the URL names a row, path) of each request for `kind` as `role`."""
    paths = set()
    for key, name, params in ADMIN_URLS:
        owner = owner_of(key)
        if owner is None or owner[0] is not kind or key in UNWALKED:
            continue
        operation = owner[1]
        has_row = any(param in ROW_PARAMS for param in params)
        for side in (OWN_SIDE, OTHER_SIDE) if has_row and kind.scoped else (OWN_SIDE,):
            kwargs = url_arguments(kind, key, params, row_of(world, kind, key, role, side))
            if kwargs is None:
                pytest.fail(f"{key}: the walk cannot fill its arguments {params}; give them or list it in UNWALKED")
            path = reverse(name, kwargs=kwargs) if name else "/" + key
            if path in paths:  # a URL of ours that takes over one of Wagtail's
                continue
            paths.add(path)
            yield key, operation, side, has_row, path
            if operation == "V" and kind.export and not has_row and not key.endswith(("results/", "_results")):
                for export_format in ("xlsx", "csv"):
                    yield key, "E", side, False, f"{path}?export={export_format}"


ADMIN_URLS = list(admin_urls())


def shows_another_sides_rows(response):
    """Whether a page, chooser or CSV names a row of the other side (their names end in OTHER_MARK)."""
    if response.get("Content-Type", "").startswith(SPREADSHEETS[1]) or not hasattr(response, "content"):
        return False
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(response.json(), ensure_ascii=False)
    return OTHER_MARK in text


def answer(client, key, path, data=None, own_rows_only=False):
    """What the app answered, in the walk's words (see the module docstring)."""
    with transaction.atomic():
        response = client.post(path, data or {}) if key in POST_ONLY else client.get(path)
        transaction.set_rollback(True)
    if own_rows_only and response.status_code == 200 and shows_another_sides_rows(response):
        return "ok, with another county's (unit's, leader's) rows"
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("wagtailadmin_login")):
        return "login"
    if (response.status_code == 302 and location == reverse("wagtailadmin_home")) or response.status_code == 403:
        return "refused"
    if response.status_code == 404:
        return "missing"
    if "export=" in path:
        ok = response.status_code == 200 and response["Content-Type"].startswith(SPREADSHEETS)
        return "ok" if ok else f"no export: {response.status_code} {response['Content-Type']}"
    if response.status_code == 200 or (response.status_code == 302 and location):
        return "ok"  # the page, or a redirect on to where the request leads
    return f"{response.status_code} {location}"


def expected(kind, key, role, operation, side, has_row):
    """The matrix's answer; "as for a missing row" for a row the role may neither see nor act on."""
    if operation == ANYONE:
        return "ok"
    if role == PUBLIC:
        return "login"
    if operation == OPEN:
        return "ok"
    granted = kind.operations(role)
    scope = granted.get(operation)
    in_scope = scope == ALL or (scope == OWN and side == OWN_SIDE)
    if in_scope and (key not in STEPS or role in STEPS[key]):
        return "ok"
    if scope is not None and not in_scope:
        return "missing"  # another county's (unit's, leader's) row does not exist for the role
    if not granted and key in HIDDEN_FROM_THE_UNPERMITTED:
        return "missing"
    sees = any(scope == ALL or side == OWN_SIDE for scope in granted.values())
    if has_row and not sees and kind.scoped:
        return "as for a missing row"
    return "refused"  # an unscoped kind's row (a page, a department) is no secret; acting on it is refused


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", KINDS, ids=[kind.key for kind in KINDS])
def test_the_role_matrix_holds(world, kind, role):
    client = Client()
    user = world["users"][role]
    if user is not None:
        client.force_login(User.objects.get(pk=user.pk))
    wrong = []
    for key, operation, side, has_row, path in requests_of(kind, world, role):
        data = POST_DATA[key](world, side) if key in POST_DATA else None
        own_rows_only = not has_row and kind.operations(role).get(operation) == OWN
        got = answer(client, key, path, data, own_rows_only)
        want = expected(kind, key, role, operation, side, has_row)
        if want == "as for a missing row":
            # A row the role may not see answers as a row that does not exist: refused or 404, and the same.
            ghost = answer(
                client, key, path.replace(f"/{row_of(world, kind, key, role, side).pk}/", f"/{GHOST_ID}/", 1)
            )
            want = ghost if ghost in ("refused", "missing") else "refused or missing"
        if got != want:
            wrong.append(f"{path} ({key}, {operation}, {side}): got {got}, the matrix says {want}")
    assert not wrong, "\n".join(wrong)


def test_every_admin_url_belongs_to_a_kind_of_the_matrix():
    unowned = [key for key, _, _ in ADMIN_URLS if owner_of(key) is None]
    assert not unowned, f"admin URLs no kind in security/role_matrix.py owns (add them there): {unowned}"
    assert set(UNWALKED) <= {key for key, _, _ in ADMIN_URLS}, "UNWALKED names URLs that no longer exist"


def test_every_grant_names_a_role_and_known_operations():
    for kind in KINDS:
        assert set(kind.grants) <= set(ROLES) - {PUBLIC}, kind.key
        for role in ROLES:
            kind.operations(role)  # raises on a letter or scope it does not know


def test_the_readme_shows_the_matrix():
    """The README's table is printed from the matrix (`python -m security.role_matrix`): they cannot drift."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert README_START in readme and README_END in readme, "README.md lacks the role matrix's marked block"
    block = readme.split(README_START, 1)[1].split(README_END, 1)[0]
    assert block.strip() == readme_block(), "README.md's role matrix differs: paste `python -m security.role_matrix`"
