"""Display formats of the project's languages (settings.FORMAT_MODULE_PATH)."""
