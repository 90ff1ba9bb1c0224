"""The JSON API at /api/v1/: tokens, scoped reads, idempotent writes, webhooks."""
