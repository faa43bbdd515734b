"""audit_event: no secondary indexes (one page per audit entry)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 11:00:00.000000

Every change appends one audit entry, and an autosave is one fsynced transaction per keystroke.
The three secondary indexes of ``audit_event`` — unique ``uuid``, unique ``hash`` and
``entity_uuid`` — are each keyed by a random value, so every entry wrote one more page to a
random place in each (4.2 of the 10 WAL pages an autosave wrote).  Nothing looks entries up by
those columns: the chain is read in ``id`` order (verification, package export) and its head is
the last ``id``; the chain itself (``prev_hash`` → ``hash``) is what proves an entry unique and in
its place, and ``evaluator audit verify`` checks it.  The columns and every value stay as they
are.  On SQLite the table is rebuilt (batch mode); on PostgreSQL the constraints and the index are
dropped in place.
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_entity_uuid'))
        batch_op.drop_constraint(batch_op.f('uq_audit_event_uuid'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_audit_event_hash'), type_='unique')


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_hash'), ['hash'])
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_uuid'), ['uuid'])
        batch_op.create_index(batch_op.f('ix_audit_event_entity_uuid'), ['entity_uuid'], unique=False)
