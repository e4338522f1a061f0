"""Admin views of channels: the list and forms, the connect flow, pauses."""
