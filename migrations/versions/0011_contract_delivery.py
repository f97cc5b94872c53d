"""contract_signer: how each signing link reached its signer; contract: in-kind total

Reviewed by hand. On contract_signer, three nullable columns, no data moved: `delivery`
is "email" (sent by Relais), "shown" (displayed once to the member who sent it, to hand
over) or "copied" (that member pressed Copy); `delivered_at` and `delivered_by_id` say when
and by whom. The evidence page of a signed contract prints them. Links sent before this
revision keep `emailed` as their only trace.
On contract, `in_kind_cents`: the total of the `benefits` list (computed here for the
existing rows), which the campaigns' 1 000 € HT check adds to the agreed fees in SQL, and
an index on participant_id for that per-participant sum.

Revision ID: 0011_contract_delivery
Revises: 0010_sort_keys
Create Date: 2026-12-07 02:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_contract_delivery'
down_revision = '0010_sort_keys'
branch_labels = None
depends_on = None


def _count_in_kind():
    contract = sa.table('contract', sa.column('id', sa.Integer()),
                        sa.column('benefits', sa.JSON()),
                        sa.column('in_kind_cents', sa.BigInteger()))
    bind = op.get_bind()
    for row in bind.execute(sa.select(contract.c.id, contract.c.benefits)).all():
        total = sum(int(b.get('value_cents') or 0) for b in row.benefits or []
                    if isinstance(b, dict))
        if total:
            bind.execute(contract.update().where(contract.c.id == row.id)
                         .values(in_kind_cents=total))


def upgrade():
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_kind_cents', sa.BigInteger(), nullable=False,
                                      server_default='0'))
        batch_op.create_index(batch_op.f('ix_contract_participant_id'), ['participant_id'],
                              unique=False)
    _count_in_kind()
    with op.batch_alter_table('contract_signer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('delivered_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contract_signer_delivered_by_id_user'),
                                    'user', ['delivered_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('contract_signer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contract_signer_delivered_by_id_user'),
                                 type_='foreignkey')
        batch_op.drop_column('delivered_by_id')
        batch_op.drop_column('delivered_at')
        batch_op.drop_column('delivery')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_participant_id'))
        batch_op.drop_column('in_kind_cents')
