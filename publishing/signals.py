"""Signals of the publishing app, for concerns that must not import each other.

`publications_changed`: sent with `publication_ids` (ids or Publication objects)
when publications changed status, time or counts outside a model save the roll-ups
see: the outbox after a batch or a reconciliation, planning after a person's action.
The metrics concern refreshes the days they fall on (`publishing/metrics/rollups.py`,
connected in `publishing/apps.py`), in the same thread, before `send()` returns.
"""

from django.dispatch import Signal

publications_changed = Signal()
