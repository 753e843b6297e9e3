"""drafts: who changed an item and when; a draft item's published original

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 19:05:00

The working copy staff edit is another page ("bozza") in the same tables. Its rows say who
last changed them and when (`autore`, `modificata`: empty while the row equals what is
published); a milestone or value of the working copy names the published row it was copied
from (`origine`; empty for an item added in the draft).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for tabella in ("sezione", "tappa", "valore"):
        with op.batch_alter_table(tabella) as batch_op:
            batch_op.add_column(
                sa.Column("autore", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
            )
            batch_op.add_column(
                sa.Column("modificata", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
            )
            if tabella != "sezione":
                batch_op.add_column(sa.Column("origine", sa.Integer(), nullable=True))


def downgrade() -> None:
    for tabella in ("sezione", "tappa", "valore"):
        with op.batch_alter_table(tabella) as batch_op:
            if tabella != "sezione":
                batch_op.drop_column("origine")
            batch_op.drop_column("modificata")
            batch_op.drop_column("autore")
