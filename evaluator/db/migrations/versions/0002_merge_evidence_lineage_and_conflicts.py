"""merge evidence, lineage and conflicts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:39:17.266409
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # tables the result-package merge keeps (evaluator/packages/models.py)
    op.create_table('merge_lineage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('device', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['evaluator_id'], ['evaluator.id'], name=op.f('fk_merge_lineage_evaluator_id_evaluator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_lineage')),
    sa.UniqueConstraint('entity', 'record_id', 'device', name=op.f('uq_merge_lineage_entity'))
    )
    with op.batch_alter_table('merge_lineage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merge_lineage_evaluator_id'), ['evaluator_id'], unique=False)

    op.create_table('package_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('manifest', sa.LargeBinary(), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('data_method', sa.Integer(), nullable=False),
    sa.Column('audit_trail', sa.LargeBinary(), nullable=False),
    sa.Column('audit_method', sa.Integer(), nullable=False),
    sa.Column('audit_entries', sa.Integer(), nullable=False),
    sa.Column('audit_head', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['receipt_id'], ['package_receipt.id'], name=op.f('fk_package_evidence_receipt_id_package_receipt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_evidence')),
    sa.UniqueConstraint('receipt_id', name=op.f('uq_package_evidence_receipt_id'))
    )
    op.create_table('merge_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=True),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('kept', sa.JSON(), nullable=False),
    sa.Column('other', sa.JSON(), nullable=False),
    sa.Column('kept_from', sa.String(length=10), nullable=False),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolution', sa.String(length=10), nullable=True),
    sa.Column('resolved_by', sa.String(length=100), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_merge_conflict_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['evaluator.id'], name=op.f('fk_merge_conflict_evaluator_id_evaluator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['receipt_id'], ['package_receipt.id'], name=op.f('fk_merge_conflict_receipt_id_package_receipt'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_conflict')),
    sa.UniqueConstraint('uuid', name=op.f('uq_merge_conflict_uuid'))
    )
    with op.batch_alter_table('merge_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merge_conflict_evaluator_id'), ['evaluator_id'], unique=False)



def downgrade() -> None:
    # tables the result-package merge keeps (evaluator/packages/models.py)
    with op.batch_alter_table('merge_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merge_conflict_evaluator_id'))

    op.drop_table('merge_conflict')
    op.drop_table('package_evidence')
    with op.batch_alter_table('merge_lineage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merge_lineage_evaluator_id'))

    op.drop_table('merge_lineage')
