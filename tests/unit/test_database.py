"""The schema comes from migrations, and SQLite runs with WAL, a busy timeout and foreign keys."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel


def test_migrations_create_exactly_the_models_schema(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_migrating_twice_is_harmless(engine):
    from serena_app.db import migra

    migra(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()


def test_sqlite_pragmas(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upgrading_a_database_of_the_one_page_schema_keeps_its_content(tmp_path):
    """A database made before pages existed (migration 0002) keeps every text, now as the
    published page, and its change counter."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from serena_app.db import MIGRATIONS, crea_engine

    engine = crea_engine(f"sqlite:///{tmp_path / 'vecchio.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0002")
        connection.execute(text("INSERT INTO sezione VALUES ('mission', 'La mission.', 3)"))
        connection.execute(text("INSERT INTO tappa VALUES (7, 1986, 'Nascita', 'Testo.', 0, 1)"))
        connection.execute(text("INSERT INTO valore VALUES (4, 'Cura', 'Testo.', 0, 2)"))
        connection.execute(text("INSERT INTO revisionepagina VALUES (1, 41)"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT * FROM sezione")).all() == [
            ("pubblicata", "mission", "La mission.", 3)
        ]
        assert connection.execute(text("SELECT id, pagina, titolo FROM tappa")).all() == [
            (7, "pubblicata", "Nascita")
        ]
        assert connection.execute(text("SELECT id, pagina, versione FROM valore")).all() == [
            (4, "pubblicata", 2)
        ]
        assert connection.execute(text("SELECT * FROM versionepagina")).all() == [
            ("pubblicata", 41)
        ]
    engine.dispose()
