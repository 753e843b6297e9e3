"""Bringing the database up to date when the app starts (and when it is built)."""

from serena_app.content import semina
from serena_app.db import engine, migra, sessione


def prepara_database() -> None:
    """Apply pending migrations, then seed an empty database from the content file."""
    migra(engine())
    with sessione() as session:
        semina(session)
