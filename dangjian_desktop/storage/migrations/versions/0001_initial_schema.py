"""Initial schema: townships, villages, branches, members, reserve cadres, service requests,
activities, settings and the audit log.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-26 20:19:42.084961
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Types are frozen as plain SQL types here: the program's column types may change later,
    # a migration must not.
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.String(length=19), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('table_name', sa.String(length=32), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=True),
    sa.Column('field', sa.String(length=64), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_record_uuid'), ['record_uuid'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('townships',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.String(length=19), nullable=False),
    sa.Column('updated_at', sa.String(length=19), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_townships')),
    sa.UniqueConstraint('code', name=op.f('uq_townships_code'))
    )
    with op.batch_alter_table('townships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_townships_township_code'), ['township_code'], unique=False)

    op.create_table('villages',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('service_center_area', sa.String(length=32), nullable=True),
    sa.Column('first_secretary_name', sa.String(length=32), nullable=False),
    sa.Column('first_secretary_unit', sa.String(length=128), nullable=False),
    sa.Column('first_secretary_start', sa.String(length=10), nullable=True),
    sa.Column('first_secretary_end', sa.String(length=10), nullable=True),
    sa.Column('work_team_size', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.String(length=19), nullable=False),
    sa.Column('updated_at', sa.String(length=19), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_villages'))
    )
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_villages_township_code'), ['township_code'], unique=False)

    op.create_table('branches',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_uuid', sa.String(length=36), nullable=True),
    sa.Column('village_uuid', sa.String(length=36), nullable=True),
    sa.Column('secretary_uuid', sa.String(length=36), nullable=True),
    sa.Column('secretary_full_time', sa.Boolean(), nullable=False),
    sa.Column('secretary_is_xds', sa.Boolean(), nullable=False),
    sa.Column('founded_on', sa.String(length=10), nullable=True),
    sa.Column('last_election_on', sa.String(length=10), nullable=True),
    sa.Column('standardized', sa.Boolean(), nullable=True),
    sa.Column('weak_year', sa.Integer(), nullable=True),
    sa.Column('rectification_status', sa.String(length=16), nullable=True),
    sa.Column('rectification_plan', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.String(length=19), nullable=False),
    sa.Column('updated_at', sa.String(length=19), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_uuid'], ['branches.uuid'], name=op.f('fk_branches_parent_uuid_branches'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['secretary_uuid'], ['members.uuid'], name=op.f('fk_branches_secretary_uuid_members'), initially='DEFERRED', deferrable=True, use_alter=True),
    sa.ForeignKeyConstraint(['village_uuid'], ['villages.uuid'], name=op.f('fk_branches_village_uuid_villages'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_branches'))
    )
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_branches_township_code'), ['township_code'], unique=False)

    op.create_table('cooperatives',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('village_uuid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('led_by_branch', sa.Boolean(), nullable=False),
    sa.Column('headed_by_secretary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['village_uuid'], ['villages.uuid'], name=op.f('fk_cooperatives_village_uuid_villages'), ondelete='CASCADE', initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_cooperatives'))
    )
    op.create_table('grid_groups',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('village_uuid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('leader', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['village_uuid'], ['villages.uuid'], name=op.f('fk_grid_groups_village_uuid_villages'), ondelete='CASCADE', initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_grid_groups'))
    )
    op.create_table('service_requests',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.String(length=10), nullable=False),
    sa.Column('requester', sa.String(length=32), nullable=False),
    sa.Column('requester_phone', sa.String(length=20), nullable=False),
    sa.Column('village_uuid', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('clerk_a', sa.String(length=32), nullable=False),
    sa.Column('clerk_b', sa.String(length=32), nullable=False),
    sa.Column('due_on', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.Column('completed_on', sa.String(length=10), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('satisfaction', sa.String(length=16), nullable=True),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.String(length=19), nullable=False),
    sa.Column('updated_at', sa.String(length=19), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['village_uuid'], ['villages.uuid'], name=op.f('fk_service_requests_village_uuid_villages'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_service_requests')),
    sa.UniqueConstraint('township_code', 'year', 'serial', name=op.f('uq_service_requests_township_code_year_serial'))
    )
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_requests_received_on'), ['received_on'], unique=False)
        batch_op.create_index('ix_service_requests_status_due', ['status', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_township_code'), ['township_code'], unique=False)

    op.create_table('village_incomes',
    sa.Column('village_uuid', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['village_uuid'], ['villages.uuid'], name=op.f('fk_village_incomes_village_uuid_villages'), ondelete='CASCADE', initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('village_uuid', 'year', name=op.f('pk_village_incomes'))
    )
    op.create_table('activities',
    sa.Column('branch_uuid', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('held_on', sa.String(length=10), nullable=False),
    sa.Column('topic', sa.String(length=256), nullable=False),
    sa.Column('attendance', sa.Integer(), nullable=False),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.String(length=19), nullable=False),
    sa.Column('updated_at', sa.String(length=19), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['branch_uuid'], ['branches.uuid'], name=op.f('fk_activities_branch_uuid_branches'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_branch_held', ['branch_uuid', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_township_code'), ['township_code'], unique=False)

    op.create_table('members',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('gender', sa.String(length=16), nullable=False),
    sa.Column('ethnicity', sa.String(length=16), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('birth_date', sa.String(length=10), nullable=True),
    sa.Column('education', sa.String(length=16), nullable=True),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('applied_on', sa.String(length=10), nullable=True),
    sa.Column('activist_on', sa.String(length=10), nullable=True),
    sa.Column('candidate_on', sa.String(length=10), nullable=True),
    sa.Column('probation_on', sa.String(length=10), nullable=True),
    sa.Column('full_on', sa.String(length=10), nullable=True),
    sa.Column('branch_uuid', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('floating', sa.Boolean(), nullable=False),
    sa.Column('floating_destination', sa.String(length=128), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=256), nullable=False),
    sa.Column('grid_group_uuid', sa.String(length=36), nullable=True),
    sa.Column('households_linked', sa.Integer(), nullable=False),
    sa.Column('monthly_dues', sa.String(length=32), nullable=True),
    sa.Column('evaluation', sa.String(length=16), nullable=True),
    sa.Column('evaluation_year', sa.Integer(), nullable=True),
    sa.Column('archive_checked', sa.Boolean(), nullable=False),
    sa.Column('leave_kind', sa.String(length=16), nullable=True),
    sa.Column('leave_on', sa.String(length=10), nullable=True),
    sa.Column('leave_reason', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.String(length=19), nullable=False),
    sa.Column('updated_at', sa.String(length=19), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['branch_uuid'], ['branches.uuid'], name=op.f('fk_members_branch_uuid_branches'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['grid_group_uuid'], ['grid_groups.uuid'], name=op.f('fk_members_grid_group_uuid_grid_groups'), ondelete='SET NULL', initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_members')),
    sa.UniqueConstraint('township_code', 'id_number', name=op.f('uq_members_township_code_id_number'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_branch_stage', ['branch_uuid', 'stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_township_code'), ['township_code'], unique=False)

    op.create_table('reserve_cadres',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('gender', sa.String(length=16), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('birth_date', sa.String(length=10), nullable=True),
    sa.Column('education', sa.String(length=16), nullable=True),
    sa.Column('political_status', sa.String(length=16), nullable=False),
    sa.Column('village_uuid', sa.String(length=36), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('occupation', sa.String(length=128), nullable=False),
    sa.Column('intended_post', sa.String(length=16), nullable=False),
    sa.Column('entered_on', sa.String(length=10), nullable=True),
    sa.Column('mentor', sa.String(length=32), nullable=False),
    sa.Column('training_count', sa.Integer(), nullable=False),
    sa.Column('trainings', sa.Text(), nullable=False),
    sa.Column('assessment', sa.String(length=16), nullable=True),
    sa.Column('assessment_year', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_on', sa.String(length=10), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('member_uuid', sa.String(length=36), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.String(length=19), nullable=False),
    sa.Column('updated_at', sa.String(length=19), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['member_uuid'], ['members.uuid'], name=op.f('fk_reserve_cadres_member_uuid_members'), ondelete='SET NULL', initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['village_uuid'], ['villages.uuid'], name=op.f('fk_reserve_cadres_village_uuid_villages'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_reserve_cadres'))
    )
    with op.batch_alter_table('reserve_cadres', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reserve_cadres_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_reserve_cadres_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_reserve_cadres_township_code'), ['township_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reserve_cadres', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reserve_cadres_township_code'))
        batch_op.drop_index(batch_op.f('ix_reserve_cadres_name'))
        batch_op.drop_index(batch_op.f('ix_reserve_cadres_id_number'))

    op.drop_table('reserve_cadres')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_township_code'))
        batch_op.drop_index(batch_op.f('ix_members_name'))
        batch_op.drop_index(batch_op.f('ix_members_id_number'))
        batch_op.drop_index('ix_members_branch_stage')

    op.drop_table('members')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_township_code'))
        batch_op.drop_index('ix_activities_branch_held')

    op.drop_table('activities')
    op.drop_table('village_incomes')
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_requests_township_code'))
        batch_op.drop_index('ix_service_requests_status_due')
        batch_op.drop_index(batch_op.f('ix_service_requests_received_on'))

    op.drop_table('service_requests')
    op.drop_table('grid_groups')
    op.drop_table('cooperatives')
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_branches_township_code'))

    op.drop_table('branches')
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_villages_township_code'))

    op.drop_table('villages')
    with op.batch_alter_table('townships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_townships_township_code'))

    op.drop_table('townships')
    op.drop_table('settings')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_record_uuid'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
