"""Turning a handled item into a public answer, and finding the expert record an item concerns."""

import re

from django.db.models import Q
from django.utils import timezone

from experts.models import Expert
from staff.scoping import restrict_to_scope

from .models import PublicAnswer

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
HIDDEN = "××"


def anonymised(text, item):
    """`text` without the submitter's name, unit and contact details, nor anything that looks like them."""
    for value in sorted({item.name, item.unit, item.mobile, item.email} - {""}, key=len, reverse=True):
        text = text.replace(value, HIDDEN)
    for pattern in (EMAIL, ID_NUMBER, MOBILE, LANDLINE):
        text = pattern.sub(HIDDEN, text)
    return text


def draft_public_answer(item, user):
    """A draft for review: the reviewer checks the wording and publishes it (审核后公开)."""
    answer = PublicAnswer(
        item=item,
        kind=item.kind,
        question_title=anonymised(item.subject, item),
        question=anonymised(item.message, item),
        answer=anonymised(item.reply, item),
        answered_on=timezone.localdate(item.closed_at),
        live=False,
    )
    answer.save()
    answer.save_revision(user=user, log_action=True)
    return answer


def matching_experts(item, user, limit=5):
    """Expert records in the user's levels with the item's mobile, e-mail or name."""
    match = Q(name=item.name)
    if item.mobile:
        match |= Q(mobile=item.mobile)
    if item.email:
        match |= Q(email__iexact=item.email)
    experts = restrict_to_scope(Expert.objects.filter(match), user).select_related("unit")
    return list(experts.order_by("name", "pk")[:limit])
