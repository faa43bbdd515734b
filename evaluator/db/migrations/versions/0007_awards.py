"""after selection: awards, disbursements, the support log and monitoring visits

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:00:00.000000

A round's sign-off creates an **award** for each selected application (``award``): its amount,
agreement date, project period, status with its reason and the settlement at the end.  Tranches
paid out of it are ``disbursement`` rows, the training, consulting and counselling given to the
group ``support_entry`` rows, and the follow-up monitoring visits (planned, assigned, recorded in
the field and merged from signed packages) ``monitoring_visit`` rows (``docs/follow-up.md``).

Only new tables: no existing row changes, and a database signed off before this revision simply
has no awards yet.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('stepped_in_for', sa.String(length=60), nullable=False),
    sa.Column('settlement', sa.String(length=20), nullable=False),
    sa.Column('returned_amount', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_award_application_id_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award')),
    sa.UniqueConstraint('application_id', name=op.f('uq_award_application_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_award_uuid'))
    )
    op.create_table('disbursement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('tranche', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], name=op.f('fk_disbursement_award_id_award'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disbursement')),
    sa.UniqueConstraint('award_id', 'tranche', name=op.f('uq_disbursement_award_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_disbursement_uuid'))
    )
    op.create_table('support_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('given_by', sa.String(length=200), nullable=False),
    sa.Column('attendees', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], name=op.f('fk_support_entry_award_id_award'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_entry')),
    sa.UniqueConstraint('uuid', name=op.f('uq_support_entry_uuid'))
    )
    with op.batch_alter_table('support_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_entry_award_id'), ['award_id'], unique=False)
    op.create_table('monitoring_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('plan_code', sa.String(length=40), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('visited_at', sa.DateTime(), nullable=True),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('rubric_hash', sa.String(length=64), nullable=False),
    sa.Column('finalised_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('device', sa.String(length=80), nullable=False),
    sa.Column('package_fingerprint', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], name=op.f('fk_monitoring_visit_award_id_award'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['evaluator.id'], name=op.f('fk_monitoring_visit_evaluator_id_evaluator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_visit')),
    sa.UniqueConstraint('award_id', 'sequence', name=op.f('uq_monitoring_visit_award_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_monitoring_visit_uuid'))
    )
    with op.batch_alter_table('monitoring_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_visit_evaluator_id'), ['evaluator_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('monitoring_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_visit_evaluator_id'))
    op.drop_table('monitoring_visit')
    with op.batch_alter_table('support_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_entry_award_id'))
    op.drop_table('support_entry')
    op.drop_table('disbursement')
    op.drop_table('award')
