"""Alembic environment: runs on the connection handed over by `serena_app.db.migra`."""

from alembic import context
from sqlmodel import SQLModel

import serena_app.models  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
