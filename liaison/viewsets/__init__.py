"""Admin of the liaison work, grouped in the "联系服务" menu; registered in liaison/wagtail_hooks.py.

One module per part of the work, each listing its viewsets in VIEWSETS, in menu order:
leaders, pairings, offices and the quota (leaders.py); contact records and follow-ups
(contacts.py); the five reports (reports.py); the must-visit calendar, six-activity coverage
and a leader's own page (coverage.py).
"""

from wagtail.admin.viewsets.base import ViewSetGroup

from . import contacts, coverage, leaders, reports


class LiaisonGroup(ViewSetGroup):
    menu_label = "联系服务"
    menu_icon = "group"
    menu_order = 250
    items = (*leaders.VIEWSETS, *contacts.VIEWSETS, *reports.VIEWSETS, *coverage.VIEWSETS)
