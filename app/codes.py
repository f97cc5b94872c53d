"""The codes stored in the database for influencers and their audiences.

Plain constants with no import: the import's parsing (app/imports/parsing) reads them
without pulling in the ORM; the models and forms import them from here
(app.models.influencer re-exports them). Human labels for each code are in
app/i18n/labels.py.
"""

KINDS = (
    "journalist", "youtuber", "blogger", "instagrammer", "tiktoker", "podcaster",
    "streamer", "expert", "celebrity", "other",
)
STATUSES = ("prospect", "contacted", "engaged", "ambassador", "former", "do_not_contact")
PLATFORMS = (
    "instagram", "tiktok", "youtube", "x", "facebook", "linkedin", "snapchat", "twitch",
    "pinterest", "threads", "bluesky", "blog", "podcast", "newsletter", "other",
)
LAWFUL_BASES = ("legitimate_interest", "consent", "contract")
DATA_SOURCES = ("manual", "import", "discovery_tool", "referral", "event", "other")
INTERACTION_KINDS = (
    "email", "dm", "call", "meeting", "event_invitation", "product_sent", "note",
)
# Written by the application, never chosen in the form: a campaign stage change.
CAMPAIGN_INTERACTION = "campaign"
AUDIENCE_DIMENSIONS = ("gender", "age", "country", "city", "language", "interest")
GENDERS = ("female", "male", "other")
# Brands' and campaigns' sectors. French influencer law (loi du 9 juin 2023, art. 4) bans
# the promotion of some and restricts others: a contract in a banned sector cannot be
# approved, a restricted one carries a warning (its text: app/brands/service.py).
SECTORS = (
    "cosmetics", "fashion", "food", "beverages", "alcohol", "sports", "culture", "travel",
    "technology", "gaming", "finance", "crypto", "gambling", "health", "pharmaceuticals",
    "aesthetic_surgery", "tobacco_nicotine", "automotive", "retail", "public_sector", "animals",
    "other",
)
RESTRICTED_SECTORS = ("alcohol", "gambling", "crypto", "finance", "aesthetic_surgery",
                      "tobacco_nicotine", "pharmaceuticals", "health", "animals")
BANNED_SECTORS = ("aesthetic_surgery", "tobacco_nicotine")
# An operation's figures, typed in or imported; the KPIs are computed from them.
COUNT_METRICS = ("impressions", "reach", "views", "likes", "comments", "shares", "saves",
                 "clicks", "conversions")
MONEY_METRICS = ("revenue", "cost")  # cents
METRICS = (*COUNT_METRICS, *MONEY_METRICS)
AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
