"""Demo databases: the published password of their accounts, and whether this site is one."""

DEMO_PASSWORD = "GiaoBan@2025"  # noqa: S105 — printed by `flask demo`; demo databases only
