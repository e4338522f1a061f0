"""Admin views of planning: publications, share requests, calendar, bulk."""
