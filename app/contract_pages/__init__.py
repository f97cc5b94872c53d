"""Contracts (web): the list, the terms form (from a campaign participant or standing), the
contract page with its workflow and document versions, the HTML preview and the downloads.

The work lives in app/services/contracts.py and contract_workflow.py, the wording of the
document in app/contracts/; these modules are the views and their forms.
"""

from flask import Blueprint

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


@bp.app_template_global()
def campaign_contracts(campaign) -> list:
    """The live contracts of a campaign with their influencer (two queries whatever their
    number): the campaign overview and its participants table show them."""
    from sqlalchemy.orm import selectinload

    from app.extensions import db
    from app.models import Contract

    return list(db.session.scalars(
        db.select(Contract).where(Contract.campaign_id == campaign.id,
                                  Contract.deleted_at.is_(None))
        .options(selectinload(Contract.influencer)).order_by(Contract.id)))


@bp.app_template_global()
def participant_contracts(campaign) -> dict:
    """Participant id → its latest contract not cancelled."""
    return {contract.participant_id: contract for contract in campaign_contracts(campaign)
            if contract.participant_id is not None and contract.status != "cancelled"}
