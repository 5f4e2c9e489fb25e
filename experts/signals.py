"""Signals other parts of the portal listen to."""

from django.dispatch import Signal

# Sent (sender=Expert, expert=expert) when an expert may no longer appear on the public
# site: removed from the database (调出) or consent to a public profile withdrawn.
# The public site unpublishes the expert's profile page in a receiver.
expert_left_public = Signal()

# Sent (sender=Expert, expert=expert, date=date, user=user) inside the transaction that
# removes an expert (调出); pairings and other open ties end on `date` in receivers.
expert_removed = Signal()
