"""Human labels for the codes stored in the database, in the user's language.

Templates and forms call `label(group, code)`; the codes themselves stay English.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "role": {
        "viewer": _l("Viewer"), "member": _l("Community manager"),
        "manager": _l("Manager"), "admin": _l("Administrator"),
    },
    "status": {
        "prospect": _l("Prospect"), "contacted": _l("Contacted"), "engaged": _l("Engaged"),
        "ambassador": _l("Ambassador"), "former": _l("Former"),
        "do_not_contact": _l("Do not contact"),
    },
    "kind": {
        "journalist": _l("Journalist"), "youtuber": _l("YouTuber"), "blogger": _l("Blogger"),
        "instagrammer": _l("Instagrammer"), "tiktoker": _l("TikToker"),
        "podcaster": _l("Podcaster"), "streamer": _l("Streamer"), "expert": _l("Expert"),
        "celebrity": _l("Celebrity"), "other": _l("Other"),
    },
    "platform": {
        "instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube", "x": "X (Twitter)",
        "facebook": "Facebook", "linkedin": "LinkedIn", "snapchat": "Snapchat",
        "twitch": "Twitch", "pinterest": "Pinterest", "threads": "Threads",
        "bluesky": "Bluesky", "blog": _l("Blog"), "podcast": _l("Podcast"),
        "newsletter": _l("Newsletter"), "other": _l("Other"),
    },
    "lawful_basis": {
        "legitimate_interest": _l("Legitimate interest"), "consent": _l("Consent"),
        "contract": _l("Contract"),
    },
    "data_source": {
        "manual": _l("Typed in"), "import": _l("File import"),
        "discovery_tool": _l("Discovery tool"), "referral": _l("Referral"),
        "event": _l("Event"), "other": _l("Other"),
    },
    "interaction": {
        "email": _l("Email"), "dm": _l("Direct message"), "call": _l("Call"),
        "meeting": _l("Meeting"), "event_invitation": _l("Event invitation"),
        "product_sent": _l("Product sent"), "note": _l("Note"),
    },
    "dimension": {
        "gender": _l("Gender"), "age": _l("Age"), "country": _l("Countries"),
        "city": _l("Cities"), "language": _l("Languages"), "interest": _l("Interests"),
    },
    "gender": {"female": _l("Women"), "male": _l("Men"), "other": _l("Other")},
    "action": {
        "create": _l("created"), "update": _l("changed"), "delete": _l("moved to the trash"),
        "restore": _l("restored"), "purge": _l("deleted"), "erase": _l("erased (GDPR)"),
    },
    "sector": {
        "cosmetics": _l("Cosmetics"), "fashion": _l("Fashion"), "food": _l("Food"),
        "beverages": _l("Beverages"), "alcohol": _l("Alcohol"), "sports": _l("Sports"),
        "culture": _l("Culture & museums"), "travel": _l("Travel"),
        "technology": _l("Technology"), "gaming": _l("Video games"),
        "finance": _l("Finance"), "crypto": _l("Crypto-assets"),
        "gambling": _l("Gambling & betting"), "health": _l("Health"),
        "pharmaceuticals": _l("Medicines"), "aesthetic_surgery": _l("Aesthetic surgery"),
        "tobacco_nicotine": _l("Tobacco & nicotine"), "automotive": _l("Automotive"),
        "retail": _l("Retail"), "public_sector": _l("Public sector"), "other": _l("Other"),
    },
}


def label(group: str, code: str | None) -> str:
    if code is None or code == "":
        return "—"
    return str(LABELS.get(group, {}).get(code, code))


def choices(group: str, codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    return [(code, label(group, code)) for code in codes]


def role_label(role: str) -> str:
    return label("role", role)
