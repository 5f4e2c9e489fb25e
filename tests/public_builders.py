"""Builders for the public-site tests: the demo site with public profiles, and private values to hunt for."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from base.demo import DemoContext
from experts.models import Expert
from experts.models.pages import ExpertDirectoryPage, ExpertProfilePage


def give_consent(experts, *, shows_unit=True, shows_title=True):
    """Records the experts' consent to a public profile, as staff would on the record."""
    Expert.objects.filter(pk__in=[expert.pk for expert in experts]).update(
        public_profile_consent=True,
        public_profile_consent_on=timezone.localdate(),
        public_shows_unit=shows_unit,
        public_shows_title=shows_title,
    )


def build_public_demo():
    """The demo site: its consenting experts' profiles (see experts.demo), linked from articles and honours."""
    call_command("load_demo_content", stdout=io.StringIO(), allow_demo_without_debug=True)
    return list(ExpertProfilePage.objects.live().order_by("pk"))


def make_profile(expert, **fields):
    """A published profile of `expert` under the expert directory."""
    directory = ExpertDirectoryPage.objects.get()
    values = {
        "title": expert.name,
        "slug": f"expert-{expert.pk}",
        "expert": expert,
        "field": "医疗卫生",
        "talent_team": expert.talent_team,
        "summary": f"{expert.name}的公开简介。",
    }
    values.update(fields)
    profile = ExpertProfilePage(**values)
    directory.add_child(instance=profile)
    profile.save_revision().publish()
    return profile


def private_values(expert):
    """Every value of the private record that must never reach a public page or the public index."""
    values = [expert.mobile, expert.email, expert.notes]
    if expert.birth_date:
        birth = expert.birth_date
        values += [birth.isoformat(), f"{birth.year}年{birth.month}月{birth.day}日", f"{birth:%Y/%m/%d}"]
    for change in expert.status_changes.all():
        values += [change.basis]
    return [value for value in values if value]


def days_from_now(days):
    return timezone.now() + datetime.timedelta(days=days)


def build_sections():
    """The home page and one index per section, as the demo makes them, without the content."""
    from base.demo import build as build_base
    from home.demo import build as build_home

    demo = DemoContext(stdout=io.StringIO())
    build_base(demo)
    build_home(demo)
    return demo.pages
