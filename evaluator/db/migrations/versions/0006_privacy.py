"""privacy: access log, redactable audit chain, purge records, people of an office

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 09:00:00.000000

Personal data under Korea's Personal Information Protection Act (evaluator/privacy/):

* ``access_event`` — the access log (views, prints, exports, downloads of personal data), hash-
  chained like the audit trail;
* ``audit_subject`` and ``audit_personal`` — the redactable audit chain: new entries commit to a
  personal value by an HMAC under the data subject's salt, the value itself kept here until a purge
  deletes it and the salt (entries written before this revision keep their values as they are);
* ``purge_record`` — what each purge destroyed, when, by whom, under which rule (never the data);
* ``office_person`` — the people who act on a SQLite office database (name, role);
* ``application.purged_at`` and ``package_evidence.redacted`` — a purged application, and the
  evidence of a merged package re-written without the purged people's values.

New tables and two nullable columns: existing rows are not touched.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('device', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('subject_count', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_event'))
    )
    with op.batch_alter_table('access_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_event_at'), ['at'], unique=False)

    op.create_table('audit_personal',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=36), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_audit_personal'))
    )
    with op.batch_alter_table('audit_personal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_personal_subject'), ['subject'], unique=False)

    op.create_table('audit_subject',
    sa.Column('subject', sa.String(length=36), nullable=False),
    sa.Column('salt', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('purged_at', sa.DateTime(), nullable=True),
    sa.Column('purge', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('subject', name=op.f('pk_audit_subject'))
    )
    op.create_table('office_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_person')),
    sa.UniqueConstraint('name', name=op.f('uq_office_person_name'))
    )
    op.create_table('purge_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purge_record')),
    sa.UniqueConstraint('uuid', name=op.f('uq_purge_record_uuid'))
    )
    # nullable columns: SQLite adds them in place (no table rebuild)
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('package_evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redacted', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('package_evidence', schema=None) as batch_op:
        batch_op.drop_column('redacted')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('purged_at')

    op.drop_table('purge_record')
    op.drop_table('office_person')
    op.drop_table('audit_subject')
    with op.batch_alter_table('audit_personal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_personal_subject'))

    op.drop_table('audit_personal')
    with op.batch_alter_table('access_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_event_at'))

    op.drop_table('access_event')
