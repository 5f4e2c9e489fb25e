"""Private expert data never reaches the public site, and profiles go down when an expert leaves it."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from experts.models import Expert, ExpertStatus, RemovalReason
from experts.models.pages import ExpertProfilePage
from experts.services import notice_consent_withdrawal, remove_expert
from spotlight.models import SpecialColumn, SpotlightArticleExpert, SpotlightArticlePage
from tests.experts_builders import make_expert, make_superuser
from tests.public_builders import build_public_demo, build_sections, give_consent, make_profile, private_values

SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")
MAX_PAGES = 400


def crawl(client):
    """Every public URL reachable from the home page, the sitemap and the feeds, with its body."""
    sitemap = client.get("/sitemap.xml").content.decode()
    queue = ["/", "/search/?q=专家", "/feeds/news/", "/feeds/spotlight/", "/robots.txt"]
    queue += [urlsplit(url).path for url in re.findall(r"<loc>(.*?)</loc>", sitemap)]
    seen, bodies = set(), {"/sitemap.xml": sitemap}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = response.content.decode()
        bodies[url] = body
        for link in re.findall(r'href="(/[^"#]*)"', body):
            link = link.replace("&amp;", "&")
            if not link.startswith(SKIPPED_PREFIXES) and link not in seen:
                queue.append(link)
    return bodies


@pytest.mark.django_db
def test_no_private_value_of_any_expert_is_on_any_public_url_or_in_the_public_index(client):
    profiles = build_public_demo()
    experts = list(Expert.objects.prefetch_related("status_changes"))
    published = {profile.expert_id for profile in profiles}
    secrets = {}
    for expert in experts:
        for value in private_values(expert):
            secrets[value] = expert
        if expert.pk not in published:
            secrets[expert.name] = expert  # without consent even the name stays private
    assert any(change.basis for expert in experts for change in expert.status_changes.all())

    bodies = crawl(client)
    assert len(bodies) > 60  # home, sections, columns, articles, honours, profiles, news, services, feeds
    assert any(profile.url in bodies for profile in profiles)
    for url, body in bodies.items():
        for value, expert in secrets.items():
            assert value not in body, f"{expert}: {value!r} on {url}"

    page_types = ContentType.objects.get_for_models(*{page.specific_class for page in Page.objects.all()}).values()
    entries = IndexEntry.objects.filter(content_type__in=page_types).values_list("title", "autocomplete", "body")
    assert entries
    index_text = " ".join(str(value) for entry in entries for value in entry)
    for value, expert in secrets.items():
        if expert.pk not in published or value != expert.name:
            assert value not in index_text, f"{expert}: {value!r} in the public search index"

    phone = experts[0].mobile
    assert "找到 0 条" in client.get("/search/", {"q": phone}).content.decode()


@pytest.fixture
def published_profile(db):
    sections = build_sections()
    admin = make_superuser()
    expert = make_expert(admin)
    give_consent([expert])
    profile = make_profile(Expert.objects.get(pk=expert.pk), unit_name="来宾市人民医院")
    article = SpotlightArticlePage(title="医学博士扎根基层", author="记者", summary="摘要", body=[])
    column = SpecialColumn.objects.create(name="专栏", slug="zl", description="简介")
    column.save_revision().publish()
    article.columns = [column]
    article.related_experts = [SpotlightArticleExpert(profile=profile)]
    sections["spotlight"].add_child(instance=article)
    article.save_revision().publish()
    return admin, Expert.objects.get(pk=expert.pk), profile, article


def assert_taken_down(client, profile, article):
    profile.refresh_from_db()
    assert not profile.live
    assert client.get(profile.url).status_code == 404
    assert profile.title not in client.get("/experts/").content.decode()
    assert f'href="{profile.url}"' not in client.get(article.url).content.decode()


def test_removing_an_expert_unpublishes_the_profile(client, published_profile, django_capture_on_commit_callbacks):
    admin, expert, profile, article = published_profile
    assert client.get(profile.url).status_code == 200  # now in the page cache too

    with django_capture_on_commit_callbacks(execute=True):  # committed: the page cache is retired
        remove_expert(expert, date=datetime.date.today(), reason=RemovalReason.LEFT_CITY, basis="调离本市", user=admin)

    assert Expert.objects.get(pk=expert.pk).status == ExpertStatus.REMOVED
    assert_taken_down(client, profile, article)
    assert profile.get_latest_revision() is not None


def test_withdrawing_consent_unpublishes_the_profile_and_cancels_its_review(client, published_profile):
    admin, expert, profile, article = published_profile
    profile.title = f"{expert.name}（更新）"
    revision = profile.save_revision(user=admin)
    workflow = profile.get_workflow()
    workflow.start(profile, admin)
    assert profile.workflow_in_progress

    expert.public_profile_consent = False
    expert.save()
    notice_consent_withdrawal(expert, consent_before=True, user=admin)

    assert_taken_down(client, profile, article)
    profile = ExpertProfilePage.objects.get(pk=profile.pk)
    assert not profile.workflow_in_progress
    assert revision.pk == profile.latest_revision_id


def test_deleting_the_record_unpublishes_the_profile(client, published_profile):
    _, expert, profile, article = published_profile
    expert.status_changes.all().delete()
    expert.delete()
    assert_taken_down(client, profile, article)
    assert ExpertProfilePage.objects.get(pk=profile.pk).expert is None
