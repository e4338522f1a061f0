"""Signals other parts listen to (cms never imports them: docs/architecture.md,
"Dependency rule")."""

from django.dispatch import Signal

# Sent by seed_demo after the content exists; kwargs: units ({slug: Unit}), stdout,
# campaign (the demo Campaign).
demo_seeded = Signal()
