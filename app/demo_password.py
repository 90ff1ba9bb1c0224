"""The demo accounts' password, below app.demo and the features' demo loaders that both
create demo accounts (app.demo imports the loaders, so they cannot import app.demo)."""

DEMO_PASSWORD = "GiaoBan@2025"  # noqa: S105 — printed by `flask demo`; demo databases only
