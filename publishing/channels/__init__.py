"""A unit's Facebook Pages and Zalo OAs as channels: connecting through a login
or a pasted token (`connect.py`, `forms.py`), the channel admin, its connect
flow and pause switches (`views/`)."""
