"""SQLAlchemy models, one module per aggregate; imported here so Alembic sees them all."""

from app.models.audit import AuditEvent
from app.models.brand import Brand
from app.models.campaign import Campaign, Operation, Participant, PlatformRate
from app.models.contract import Contract, ContractBatch, ContractDocument, ContractSigner
from app.models.data_version import DataVersion
from app.models.imports import Import, ImportChange, ImportProblem, SavedMapping
from app.models.influencer import (
    AudienceShare,
    AudienceSnapshot,
    Influencer,
    Interaction,
    SocialAccount,
    Tag,
    influencer_tag,
)
from app.models.limits import LimitHit
from app.models.network import Relationship
from app.models.rates import FeeFloor
from app.models.retention import RetentionSettings
from app.models.saved_view import SavedView
from app.models.scoring import Community, InfluencerScore, ScoringRun, ScoringSettings
from app.models.user import PasswordReset, User

__all__ = [
    "AudienceShare",
    "AudienceSnapshot",
    "AuditEvent",
    "Brand",
    "Campaign",
    "Community",
    "Contract",
    "ContractBatch",
    "ContractDocument",
    "ContractSigner",
    "DataVersion",
    "FeeFloor",
    "Import",
    "ImportChange",
    "ImportProblem",
    "Influencer",
    "InfluencerScore",
    "Interaction",
    "LimitHit",
    "Operation",
    "Participant",
    "PasswordReset",
    "PlatformRate",
    "Relationship",
    "RetentionSettings",
    "SavedMapping",
    "SavedView",
    "ScoringRun",
    "ScoringSettings",
    "SocialAccount",
    "Tag",
    "User",
    "influencer_tag",
]
