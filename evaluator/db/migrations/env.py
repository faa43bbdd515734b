"""Alembic environment: always run on a connection handed in by ``evaluator.db.migrate``."""

from alembic import context

from evaluator.db.migrate import load_all_models
from evaluator.db.models import Base

load_all_models()

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running the alembic CLI by hand
    raise SystemExit("Run migrations through 'evaluator upgrade', not the alembic command line.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
