"""Sending: the payload of one publication on one channel (`compose.py`), claims
with leases (`claims.py`), one attempt and its recorded outcome (`send.py`),
reconciliation of unknown outcomes (`reconcile.py`), the dispatcher job that ties
them (`dispatcher.py`), advisory locks (`locks.py`). Talks to networks only
through `publishing.networks.adapter_for`."""
