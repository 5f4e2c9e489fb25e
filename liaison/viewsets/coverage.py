"""Viewsets of this part of the liaison work (see liaison/viewsets/__init__.py)."""

VIEWSETS = []
