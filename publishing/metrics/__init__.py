"""Engagement and goals: reading counts and followers from the networks
(`engagement.py`), the daily roll-ups the dashboard reads (`rollups.py`), the
dashboard itself (`dashboard/`: figures, goal pace, tables, exports, views)."""
