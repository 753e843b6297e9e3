"""two languages: each text's English version and the Italian it was translated from, and
the language of each change in history

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 05:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TESTI = {"sezione": {"testo_en": 4000}, "tappa": {"titolo_en": 120, "testo_en": 2000}}
TESTI["valore"] = TESTI["tappa"]


def upgrade() -> None:
    testo = sqlmodel.sql.sqltypes.AutoString
    for tabella, colonne in TESTI.items():
        with op.batch_alter_table(tabella) as batch:
            for nome, massimo in colonne.items():
                batch.add_column(sa.Column(nome, testo(length=massimo), nullable=True))
            batch.add_column(sa.Column("fonte_en", sa.Text(), nullable=True))
    with op.batch_alter_table("revisione") as batch:
        batch.add_column(sa.Column("lingua", testo(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("revisione") as batch:
        batch.drop_column("lingua")
    for tabella, colonne in TESTI.items():
        with op.batch_alter_table(tabella) as batch:
            batch.drop_column("fonte_en")
            for nome in colonne:
                batch.drop_column(nome)
