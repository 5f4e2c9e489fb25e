"""Public answers (公开答复) are scoped by the level of the item they answer, like every intake record."""

import pytest
from django.urls import reverse

from intake.models import Kind, PublicAnswer
from staff.levels import Level
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from tests.intake_builders import make_staff, new_item

pytestmark = pytest.mark.django_db

CHOOSER = "wagtailsnippetchoosers_intake_publicanswer"


def answer_of(level, title, officer):
    item, _ = new_item(level=level, subject=title)
    answer = PublicAnswer.objects.create(
        item=item, kind=Kind.HELP, question_title=title, question="问题", answer="答复", answered_on="2026-11-01"
    )
    answer.save_revision(user=officer)
    return answer


@pytest.fixture
def answers(db):
    city = make_staff("city", level=Level.CITY, group=CITY_OFFICE)
    county = make_staff("xingbin", level=Level.XINGBIN, group=COUNTY_OFFICE)
    own = answer_of(Level.XINGBIN, "兴宾区的答复", city)
    others = [answer_of(Level.HESHAN, "合山市的答复", city), answer_of(Level.CITY, "市本级的答复", city)]
    orphan = PublicAnswer.objects.create(
        kind=Kind.HELP, question_title="没有来源事项的答复", question="问", answer="答", answered_on="2026-11-01"
    )
    orphan.save_revision(user=city)
    return {"city": city, "county": county, "own": own, "others": [*others, orphan]}


def text_of(response):
    """The page, or the chooser modal's HTML inside its JSON."""
    if response["Content-Type"].startswith("application/json"):
        return str(response.json())
    return response.content.decode()


def object_urls(answer):
    revision = answer.latest_revision_id
    return [
        reverse("intake_public_answer:edit", args=[answer.pk]),
        reverse("intake_public_answer:delete", args=[answer.pk]),
        reverse("intake_public_answer:history", args=[answer.pk]),
        reverse("intake_public_answer:history_results", args=[answer.pk]),
        reverse("intake_public_answer:usage", args=[answer.pk]),
        reverse("intake_public_answer:preview_on_edit", args=[answer.pk]),
        reverse("intake_public_answer:revisions_view", args=[answer.pk, revision]),
        reverse("intake_public_answer:revisions_revert", args=[answer.pk, revision]),
        reverse("intake_public_answer:revisions_compare", args=[answer.pk, "earliest", revision]),
        reverse("intake_public_answer:revisions_unschedule", args=[answer.pk, revision]),
        reverse("intake_public_answer:unpublish", args=[answer.pk]),
    ]


def test_a_county_office_lists_and_chooses_only_its_countys_answers(client, answers):
    client.force_login(answers["county"])
    for url in (
        reverse("intake_public_answer:list"),
        reverse("intake_public_answer:list_results"),
        reverse(f"{CHOOSER}:choose"),
        reverse(f"{CHOOSER}:choose_results"),
    ):
        html = text_of(client.get(url))
        assert "兴宾区的答复" in html, url
        for other in answers["others"]:
            assert other.question_title not in html, url
    chosen = client.get(
        reverse(f"{CHOOSER}:chosen_multiple"), {"id": [a.pk for a in [answers["own"], *answers["others"]]]}
    )
    assert "兴宾区的答复" in text_of(chosen)
    assert "合山市的答复" not in text_of(chosen)


def test_a_county_office_opens_its_countys_answer(client, answers):
    client.force_login(answers["county"])
    own = answers["own"]
    for name in ("edit", "history", "usage"):
        assert client.get(reverse(f"intake_public_answer:{name}", args=[own.pk])).status_code == 200, name
    assert client.get(reverse(f"{CHOOSER}:chosen", args=[own.pk])).status_code == 200
    # No delete permission for a county's office: Wagtail's refusal, a redirect to the dashboard.
    response = client.get(reverse("intake_public_answer:delete", args=[own.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_another_countys_answer_is_a_404_in_every_view(client, answers):
    client.force_login(answers["county"])
    for other in answers["others"]:
        for url in object_urls(other):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"question_title": "改掉"}).status_code == 404, url
        assert client.get(reverse(f"{CHOOSER}:chosen", args=[other.pk])).status_code == 404
        other.refresh_from_db()
        assert other.question_title != "改掉"


def test_a_crafted_edit_of_another_countys_answer_changes_nothing(client, answers):
    client.force_login(answers["county"])
    other = answers["others"][0]
    data = {
        "question_title": "被改掉了",
        "kind": Kind.HELP,
        "question": "问",
        "answer": "答",
        "answered_on": "2026-11-02",
    }
    assert client.post(reverse("intake_public_answer:edit", args=[other.pk]), data).status_code == 404
    other.refresh_from_db()
    assert other.question_title == "合山市的答复"
    assert other.latest_revision.content["question_title"] == "合山市的答复"


def test_only_city_staff_write_an_answer_without_an_item(client, answers):
    url = reverse("intake_public_answer:add")
    client.force_login(answers["county"])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    client.force_login(answers["city"])
    assert client.get(url).status_code == 200


def test_city_staff_see_every_answer(client, answers):
    client.force_login(answers["city"])
    html = client.get(reverse("intake_public_answer:list")).content.decode()
    for answer in [answers["own"], *answers["others"]]:
        assert answer.question_title in html
        assert client.get(reverse("intake_public_answer:edit", args=[answer.pk])).status_code == 200
