"""invitations: one-time links that let a person choose their password; who changed an account

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 02:15:00

`invito` holds the SHA-256 of each one-time code (an invitation or a password reset), when
it expires and when it was used. `evento.autore` names the responsabile who changed an
account from the "Persone" panel (None: the terminal, or the person themselves).
A plain ADD COLUMN: on SQLite a batch (table copy) would drop the triggers that keep `evento`
append-only.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invito",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hash_codice", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("tipo", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("creato", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("scade", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("usato", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("autore", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("invito", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invito_hash_codice"), ["hash_codice"], unique=True)
        batch_op.create_index(batch_op.f("ix_invito_staff_id"), ["staff_id"], unique=False)
    op.add_column(
        "evento",
        sa.Column("autore", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("evento", "autore")
    op.drop_table("invito")
