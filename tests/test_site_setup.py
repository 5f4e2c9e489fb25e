"""`setup_site` builds the real site's page tree, the same one the demo builds, with no fictional people;
`load_demo_content` refuses a server without DEBUG unless told it is a demo."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from playwright.sync_api import expect
from wagtail.models import Page, Site, Workflow, WorkflowContentType, WorkflowPage

from base.models import PortalSettings
from experts.models.pages import ExpertProfilePage
from home.models import HomePage
from spotlight.models import SpecialColumn, SpotlightArticlePage
from tests.conftest import PHONE

# (depth, slug, page type) of every page the real site starts with: the public URL contract.
EXPECTED_TREE = [
    (2, "home", "homepage"),
    (3, "about", "standardpage"),
    (3, "contact", "contactpage"),
    (3, "experts", "expertdirectorypage"),
    (3, "honours", "honourindexpage"),
    (3, "news", "newsindexpage"),
    (3, "privacy", "standardpage"),
    (3, "services", "serviceindexpage"),
    (3, "spotlight", "spotlightindexpage"),
]
PUBLIC_URLS = [
    "/",
    "/spotlight/",
    "/honours/",
    "/experts/",
    "/news/",
    "/services/",
    "/contact/",
    "/contact/track/",
    "/contact/answers/",
    "/about/",
    "/privacy/",
    "/search/?q=专家",
]


def setup_site(**options):
    out = io.StringIO()
    call_command("setup_site", stdout=out, **options)
    return out.getvalue()


def page_tree():
    pages = Page.objects.filter(depth__in=[2, 3]).select_related("content_type").order_by("depth", "slug")
    return [(page.depth, page.slug, page.content_type.model) for page in pages]


@pytest.mark.django_db
def test_setup_site_builds_the_real_tree_and_every_address_answers(client):
    output = setup_site()

    assert page_tree() == EXPECTED_TREE
    assert all(page.live for page in Page.objects.filter(depth__gte=2))
    site = Site.objects.get()
    assert site.is_default_site and site.root_page.specific_class is HomePage
    assert (site.hostname, site.port) == ("testserver", 80)  # from WAGTAILADMIN_BASE_URL
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 200, url
    assert "createsuperuser" in output


@pytest.mark.django_db
def test_setup_site_holds_no_fictional_people_or_demo_details(client):
    setup_site()

    assert not get_user_model().objects.exists()
    assert not ExpertProfilePage.objects.exists()
    assert not SpotlightArticlePage.objects.exists()
    portal_settings = PortalSettings.for_site(Site.objects.get())
    assert portal_settings.privacy_page.slug == "privacy"
    assert portal_settings.office_address == ""
    assert portal_settings.icp_number == ""
    html = client.get("/").content.decode()
    assert "演示" not in html
    assert "ICP备00000000" not in html
    # The home page's blocks are in place, each with its empty state.
    assert [block.block_type for block in HomePage.objects.get().body] == [
        "contact_card",
        "quick_links",
        "latest_spotlights",
        "latest_news",
        "latest_honours",
    ]


@pytest.mark.django_db
def test_setup_site_runs_again_without_duplicating_or_overwriting_editors_work():
    setup_site()
    about = Page.objects.get(slug="about").specific
    about.title = "来宾市党委联系专家人才工作方案"
    about.save_revision().publish()
    pages_before = Page.objects.count()

    setup_site()

    assert Page.objects.count() == pages_before
    assert Page.objects.get(slug="about").title == "来宾市党委联系专家人才工作方案"


@pytest.mark.django_db
def test_setup_site_puts_back_a_deleted_review():
    Workflow.objects.all().delete()

    output = setup_site()

    workflow = Workflow.objects.get(name="发布审核")
    assert workflow.active
    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow == workflow
    steps = [(task.name, [group.name for group in task.specific.groups.all()]) for task in workflow.tasks.all()]
    assert steps == [("审核", ["审核员"]), ("终审", ["终审人"])]
    assert WorkflowContentType.objects.get(content_type__model="specialcolumn").workflow == workflow
    assert "发布审核流程已恢复" in output
    assert SpecialColumn.get_default_workflow() == workflow


@pytest.mark.django_db
def test_setup_site_takes_the_address_it_is_given():
    setup_site(hostname="talent.laibin.gov.cn", port=443)
    assert Site.objects.values_list("hostname", "port").get() == ("talent.laibin.gov.cn", 443)


@pytest.mark.django_db
def test_setup_site_refuses_an_impossible_port():
    with pytest.raises(CommandError, match="端口"):
        setup_site(port=70000)
    assert not HomePage.objects.exists()


@pytest.mark.django_db
def test_the_demo_builds_the_same_tree_and_setup_site_then_adds_nothing():
    call_command("load_demo_content", stdout=io.StringIO(), allow_demo_without_debug=True)
    assert page_tree() == EXPECTED_TREE
    pages_before = Page.objects.count()

    setup_site()

    assert Page.objects.count() == pages_before


@pytest.mark.django_db
def test_demo_content_refuses_a_server_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-demo-without-debug"):
        call_command("load_demo_content", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
    assert not HomePage.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_fresh_site_reads_well_on_desktop_and_phone(live_server, page, screenshot):
    setup_site()
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".empty-state").first).to_be_visible()
    expect(page.get_by_role("navigation").first).to_contain_text("联系我们")
    screenshot(page, "fresh-site-home-desktop")
    page.set_viewport_size(PHONE)
    for url, name in [("/", "home"), ("/contact/", "contact"), ("/about/", "about")]:
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        screenshot(page, f"fresh-site-{name}-phone")
