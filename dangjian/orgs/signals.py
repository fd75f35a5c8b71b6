"""Signals other apps listen to when the tree changes under their records."""

from django.dispatch import Signal

# Sent by orgs.services.move inside its transaction, after the moved organization and its
# subtree have their new paths; `org` is the moved organization (refreshed). Apps that copy
# paths onto their own rows (tasks.ReportBack.path) bring them in step here.
subtree_moved = Signal()
