"""photos on follow-up monitoring visits

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 13:00:00.000000

A photo taken on a follow-up monitoring visit is an ``attachment`` like an evaluation's photo,
tied to its visit by ``attachment.monitoring_visit_id`` (NULL for every photo before this
revision: they are all scoring photos).  Deleting a visit deletes its photos.  No existing row
changes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monitoring_visit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachment_monitoring_visit_id'), ['monitoring_visit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attachment_monitoring_visit_id_monitoring_visit'),
                                    'monitoring_visit', ['monitoring_visit_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attachment_monitoring_visit_id_monitoring_visit'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachment_monitoring_visit_id'))
        batch_op.drop_column('monitoring_visit_id')
