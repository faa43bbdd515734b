"""programs as data: rounds, typed intake fields, categories, the program file

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-14 09:00:00.000000

A program becomes what its program file says (``docs/programs.md``): the organising office, the
intake mode (fixed rounds or rolling), its categories (activity kinds), typed intake fields beyond
the built-in ones, and rounds (차수, table ``program_round``) with their intake windows and per-track
quotas and budgets (``round_track``); each application belongs to one round.  Evaluators get a
district and a phone (likely conflicts of interest are suggested from them); a track may carry
its own minimum score; an application keeps the reason for its status (a withdrawal).

Every program already in the database becomes one program with one round (``1``, 1차, its window
the program's own dates), every application in it; the categories it had are the Community
Building kinds it was made with.  No existing value changes.
"""
import uuid as uuidlib

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

#: the categories every program had before programs were data (evaluator.domain.CATEGORIES then)
LEGACY_CATEGORIES = [
    {"code": "cafe", "ko": "마을카페·모임", "en": "Community gathering / café", "aliases": []},
    {"code": "care", "ko": "공동육아·돌봄", "en": "Communal nurturing and caring", "aliases": []},
    {"code": "energy_safety", "ko": "에너지자립·안전마을", "en": "Energy independence / safe village", "aliases": []},
    {"code": "business", "ko": "마을기업", "en": "Community business", "aliases": []},
    {"code": "festival", "ko": "마을축제", "en": "Community festival", "aliases": []},
    {"code": "other", "ko": "기타", "en": "Other", "aliases": []},
]


def upgrade() -> None:
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_ko', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('office_en', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('intake', sa.String(length=10), nullable=False, server_default='fixed'))
        batch_op.add_column(sa.Column('categories', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('fields', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('source', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('content_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('kits_issued', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('track', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_score', sa.Float(), nullable=True))

    with op.batch_alter_table('evaluator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('district', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('phone', sa.String(length=60), nullable=False, server_default=''))

    op.create_table('program_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_ko', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('signed_off_at', sa.DateTime(), nullable=True),
    sa.Column('signed_off_by', sa.String(length=200), nullable=False),
    sa.Column('sign_off_note', sa.Text(), nullable=False),
    sa.Column('signed_off_ranking', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_program_round_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_round')),
    sa.UniqueConstraint('program_id', 'code', name=op.f('uq_program_round_program_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_program_round_uuid'))
    )
    op.create_table('round_track',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=True),
    sa.Column('budget', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['program_round.id'], name=op.f('fk_round_track_round_id_program_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['track_id'], ['track.id'], name=op.f('fk_round_track_track_id_track'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_track')),
    sa.UniqueConstraint('round_id', 'track_id', name=op.f('uq_round_track_round_id'))
    )

    # every program so far: one round holding all its applications; the categories it was made with
    conn = op.get_bind()
    program = sa.table('program', sa.column('id', sa.Integer()), sa.column('opened_on', sa.Date()),
                       sa.column('closed_on', sa.Date()), sa.column('categories', sa.JSON()))
    rounds = sa.table('program_round', *(sa.column(c) for c in (
        'uuid', 'program_id', 'code', 'position', 'name_ko', 'name_en', 'opens_on', 'closes_on', 'status',
        'signed_off_by', 'sign_off_note')))
    for pid, opened_on, closed_on in conn.execute(
            sa.select(program.c.id, program.c.opened_on, program.c.closed_on).order_by(program.c.id)).all():
        conn.execute(rounds.insert().values(
            uuid=str(uuidlib.uuid4()), program_id=pid, code='1', position=0, name_ko='1차', name_en='Round 1',
            opens_on=opened_on, closes_on=closed_on, status='open', signed_off_by='', sign_off_note=''))
        conn.execute(program.update().where(program.c.id == pid).values(categories=LEGACY_CATEGORIES))

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('fields', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.execute("UPDATE application SET round_id = (SELECT r.id FROM program_round r "
               "WHERE r.program_id = application.program_id)")
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.alter_column('round_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_application_round_id_program_round'), 'program_round',
                                    ['round_id'], ['id'])
        batch_op.create_index('ix_application_round_track', ['round_id', 'track_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_round_track')
        batch_op.drop_constraint(batch_op.f('fk_application_round_id_program_round'), type_='foreignkey')
        batch_op.drop_column('fields')
        batch_op.drop_column('status_reason')
        batch_op.drop_column('round_id')
    op.drop_table('round_track')
    op.drop_table('program_round')
    with op.batch_alter_table('evaluator', schema=None) as batch_op:
        batch_op.drop_column('phone')
        batch_op.drop_column('district')
    with op.batch_alter_table('track', schema=None) as batch_op:
        batch_op.drop_column('min_score')
    with op.batch_alter_table('program', schema=None) as batch_op:
        for column in ('archived_at', 'kits_issued', 'content_hash', 'source', 'fields', 'categories', 'intake',
                       'office_en', 'office_ko'):
            batch_op.drop_column(column)
