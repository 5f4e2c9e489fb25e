"""A leader's own page (领导工作台): their experts with the last contact, the visits they owe,
the six activities their experts still lack this year, and the open follow-ups of their contacts;
and the admin home's panel that leads to it.

A leader sees their own page; a leader's office, a county's and the city's talent office choose
one of the leaders they may see. A constant number of queries whatever the leader's rows.
"""

from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.components import Component

from staff.scoping import visible_rows

from ..calendar import VisitStatus, owed_visits
from ..coverage import activities_by_expert
from ..models import SIX_ACTIVITIES, ContactRecord, FollowUp, Leader, MustVisit, Pairing
from ..scoping import office_bodies, own_leader
from .coverage import LiaisonPageMixin, may_see_calendar

# Other apps add sections to a leader's page: a function registered under this hook is given the
# request and the leader and returns a component to render below the page's lists (or None).
LEADER_PAGE_SECTIONS_HOOK = "leader_page_sections"


class LeaderWork:
    """What `leader` has to do, as `user` may see it, in this year."""

    def __init__(self, user, leader, today=None):
        self.user = user
        self.leader = leader
        self.today = today or timezone.localdate()
        self.year = self.today.year

    @cached_property
    def pairings(self):
        rows = visible_rows(self.user, Pairing).active().filter(leader=self.leader)
        return list(rows.select_related("expert__unit").order_by("expert__name", "expert_id"))

    @cached_property
    def experts(self):
        """The leader's experts, each with `last_contact` (the leader's latest contact with them) and `gaps`."""
        experts = [pairing.expert for pairing in self.pairings]
        ids = [expert.pk for expert in experts]
        last = dict(
            ContactRecord.experts.through.objects.filter(contactrecord__leaders=self.leader, expert_id__in=ids)
            .values("expert_id")
            .annotate(last=Max("contactrecord__date"))
            .values_list("expert_id", "last")
        )
        done = activities_by_expert(ids, self.year)
        for expert in experts:
            expert.last_contact = last.get(expert.pk)
            expert.gaps = [activity.label for activity in SIX_ACTIVITIES if activity not in done.get(expert.pk, ())]
        return experts

    @cached_property
    def visits(self):
        """Visits still owed: this year's holiday visits not made, and every must-visit a report created
        that is not done yet, whatever its year; in date order."""
        leader = Leader.objects.filter(pk=self.leader.pk)
        return owed_visits(leader, visible_rows(self.user, MustVisit), self.today)

    @cached_property
    def follow_ups(self):
        rows = visible_rows(self.user, FollowUp).open().filter(record__leaders=self.leader)
        return list(rows.select_related("expert", "record").order_by("due_on", "pk"))

    @property
    def overdue(self):
        return sum(1 for visit in self.visits if visit.status == VisitStatus.OVERDUE)

    @property
    def gaps(self):
        return sum(len(expert.gaps) for expert in self.experts)


class LeaderPageView(LiaisonPageMixin, TemplateView):
    template_name = "liaison/coverage/leader_page.html"
    page_title = "领导工作台"
    header_icon = "user"
    allowed = staticmethod(may_see_calendar)

    def get_context_data(self, **kwargs):
        user = self.request.user
        leaders = visible_rows(user, Leader)
        chosen = self.request.GET.get("leader", "")
        if chosen:
            if not chosen.isdigit():
                raise Http404
            leader = leaders.filter(pk=chosen).first()
            if leader is None:
                raise Http404
        else:
            mine = own_leader(user)
            leader = mine if mine is not None else leaders.first()
        choices = list(leaders) if own_leader(user) is None else []
        work = LeaderWork(user, leader) if leader is not None else None
        sections = [hook(self.request, leader) for hook in hooks.get_hooks(LEADER_PAGE_SECTIONS_HOOK)] if leader else []
        return super().get_context_data(
            leader=leader,
            choices=choices,
            work=work,
            today=timezone.localdate(),
            sections=[section for section in sections if section is not None],
            **kwargs,
        )

    def get_page_title(self):
        return "我的联系服务" if own_leader(self.request.user) else self.page_title


class LeaderHomePanel(Component):
    """The admin home's panel for a leader (what is owed, at a glance) and for a leader's office."""

    name = "liaison_leader"
    order = 50
    template_name = "liaison/coverage/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        leader = own_leader(user)
        if leader is None and not office_bodies(user):
            return {"shown": False}
        return {
            "shown": True,
            "url": reverse("liaison_mine:index"),
            "work": LeaderWork(user, leader) if leader else None,
        }
