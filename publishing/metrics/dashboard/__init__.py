"""The campaign dashboard: figures (`metrics`, `goals`), their tables, the page and
its CSV / XLSX exports, and the admin home's summary panel."""
