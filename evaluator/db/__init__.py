"""Storage: engine set-up, ORM models and migrations.  Only the core uses this package."""
