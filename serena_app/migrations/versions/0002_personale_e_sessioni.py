"""personale e sessioni

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 02:18:53.182972
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nome_utente", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash_password", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("attivo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_nome_utente"), ["nome_utente"], unique=True)

    op.create_table(
        "tentativoaccesso",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nome_utente", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("quando", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tentativoaccesso", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tentativoaccesso_client"), ["client"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tentativoaccesso_nome_utente"), ["nome_utente"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tentativoaccesso_quando"), ["quando"], unique=False)

    op.create_table(
        "sessionestaff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hash_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("creata", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ultimo_uso", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revocata", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sessionestaff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sessionestaff_hash_token"), ["hash_token"], unique=True
        )
        batch_op.create_index(batch_op.f("ix_sessionestaff_staff_id"), ["staff_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("sessionestaff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessionestaff_staff_id"))
        batch_op.drop_index(batch_op.f("ix_sessionestaff_hash_token"))

    op.drop_table("sessionestaff")
    with op.batch_alter_table("tentativoaccesso", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tentativoaccesso_quando"))
        batch_op.drop_index(batch_op.f("ix_tentativoaccesso_nome_utente"))
        batch_op.drop_index(batch_op.f("ix_tentativoaccesso_client"))

    op.drop_table("tentativoaccesso")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_nome_utente"))

    op.drop_table("staff")
