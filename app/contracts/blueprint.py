"""The contracts blueprint and its views' one loader: the views are in routes.py,
document_routes.py and workflow_routes.py."""

from flask import Blueprint, abort

from app.contracts import terms as service
from app.core.errors import NotFound
from app.models import Contract

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


def contract_or_404(contract_id: int, deleted: bool = False) -> Contract:
    """The contract of the URL: live, or with deleted=True in the trash; 404 otherwise."""
    try:
        return service.get_contract(contract_id, deleted=deleted)
    except NotFound:
        abort(404)
