"""SQLAlchemy models, one module per aggregate; imported here so Alembic sees them all."""

from app.models.audit import AuditEvent
from app.models.brand import Brand
from app.models.campaign import Campaign, Operation, Participant, PlatformRate
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
from app.models.network import Relationship
from app.models.user import User

__all__ = [
    "AudienceShare",
    "AudienceSnapshot",
    "AuditEvent",
    "Brand",
    "Campaign",
    "Import",
    "ImportChange",
    "ImportProblem",
    "Influencer",
    "Interaction",
    "Operation",
    "Participant",
    "PlatformRate",
    "Relationship",
    "SavedMapping",
    "SocialAccount",
    "Tag",
    "User",
    "influencer_tag",
]
