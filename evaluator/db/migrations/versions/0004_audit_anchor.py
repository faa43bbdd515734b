"""audit_anchor: the audit chain's head signed with the database's key

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 09:00:00.000000

A database editor can rewrite the audit chain and recompute every hash after the entry changed,
or cut entries off its end; nothing inside the chain shows that.  An anchor is the chain's head
signed with the database's own key (the office key at a merge, a kit export or a round sign-off;
the evaluator's key at a package export), which the editor does not have: ``evaluator audit
verify`` checks the chain against every anchor (``evaluator/audit/anchors.py``).  A new table,
empty after the upgrade: existing rows are not touched.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_anchor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('head', sa.String(length=64), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('key_fingerprint', sa.String(length=80), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_anchor')),
    sa.UniqueConstraint('sequence', name=op.f('uq_audit_anchor_sequence'))
    )


def downgrade() -> None:
    op.drop_table('audit_anchor')
