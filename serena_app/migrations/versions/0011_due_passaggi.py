"""two-step login (TOTP), recovery codes, and each session's device

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 02:20:00

`staff` gets the TOTP secret (None: two-step login is off) and the last time step a code was
accepted for; `codicerecupero` holds the SHA-256 of each unused recovery code; a session gets
a short description of the browser that opened it ("Chrome su Android"). Whether responsabili
must use two-step login is an `impostazione` row, written when first switched.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch_op:
        batch_op.add_column(
            sa.Column("totp_segreto", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("totp_ultimo_passo", sa.Integer(), nullable=True))
    with op.batch_alter_table("sessionestaff") as batch_op:
        batch_op.add_column(
            sa.Column("dispositivo", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.create_table(
        "codicerecupero",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("hash_codice", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_codicerecupero_staff_id", "codicerecupero", ["staff_id"])
    op.create_index("ix_codicerecupero_hash_codice", "codicerecupero", ["hash_codice"])


def downgrade() -> None:
    op.drop_index("ix_codicerecupero_hash_codice", "codicerecupero")
    op.drop_index("ix_codicerecupero_staff_id", "codicerecupero")
    op.drop_table("codicerecupero")
    with op.batch_alter_table("sessionestaff") as batch_op:
        batch_op.drop_column("dispositivo")
    with op.batch_alter_table("staff") as batch_op:
        batch_op.drop_column("totp_ultimo_passo")
        batch_op.drop_column("totp_segreto")
