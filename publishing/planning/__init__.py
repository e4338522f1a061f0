"""What goes out, where and when, before anything is sent: share plans become
publications (`sharing.py`), posting slots (`slots.py`), bulk scheduling
(`bulk.py`), the calendar (`calendar.py`), people's actions on publications
(`actions.py`), single-use confirmations (`confirmations.py`); admin views in
`views/`. Leaves sending to the outbox."""
