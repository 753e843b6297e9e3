"""roles: every account is a redattore or a responsabile

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:00:00

Until now every account could publish: each existing account becomes a responsabile, so
nobody loses a power they had. New accounts are redattori unless made otherwise.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch_op:
        batch_op.add_column(
            sa.Column(
                "ruolo",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="responsabile",
            )
        )
    with op.batch_alter_table("staff") as batch_op:
        batch_op.alter_column("ruolo", server_default="redattore")


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch_op:
        batch_op.drop_column("ruolo")
