"""The article's "Social sharing" tab: share-plan rows and their checks
(`plans.py`), the tab's panels (`panels.py`, `publications_panel.py`) and the
post preview (`views.py`). Uses planning's rules and the outbox's `compose`; never
sends anything itself."""
