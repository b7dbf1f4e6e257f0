"""The monthly package's bookkeeping: the import log, package reviews (and receipts received),
and the per-township export sequence.

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('export_id', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('township_name', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('format_version', sa.Integer(), nullable=False),
    sa.Column('program_version', sa.String(length=32), nullable=False),
    sa.Column('exported_at', sa.String(length=19), nullable=False),
    sa.Column('exported_by', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.String(length=19), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('forced', sa.Boolean(), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_log')),
    sa.UniqueConstraint('export_id', name=op.f('uq_import_log_export_id'))
    )
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_log_township_code'), ['township_code'], unique=False)

    op.create_table('package_reviews',
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('export_id', sa.String(length=36), nullable=True),
    sa.Column('reviewer', sa.String(length=64), nullable=False),
    sa.Column('reviewed_at', sa.String(length=19), nullable=True),
    sa.Column('receipt_id', sa.String(length=36), nullable=True),
    sa.Column('updated_at', sa.String(length=19), nullable=False),
    sa.PrimaryKeyConstraint('township_code', 'period', name=op.f('pk_package_reviews'))
    )
    op.create_table('export_sequences',
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('last_export_id', sa.String(length=36), nullable=False),
    sa.Column('last_period', sa.String(length=7), nullable=False),
    sa.Column('last_exported_at', sa.String(length=19), nullable=True),
    sa.PrimaryKeyConstraint('township_code', name=op.f('pk_export_sequences'))
    )


def downgrade() -> None:
    op.drop_table('export_sequences')
    op.drop_table('package_reviews')
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_log_township_code'))
    op.drop_table('import_log')
