"""demo sandboxes: a session can belong to one

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 21:00:00

In demo mode the button "Prova la modalità modifica" opens a session of the demo editor bound
to a private sandbox: `sandbox` names the sandbox's published page ("demo-…"), whose working
copy is the page of the same name with "-bozza" added; `client` is the address that opened
it (a few per address). Both empty for a staff login.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessionestaff") as batch_op:
        batch_op.add_column(
            sa.Column("sandbox", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("sessionestaff") as batch_op:
        batch_op.drop_column("client")
        batch_op.drop_column("sandbox")
