"""The codes stored in the database for influencers and their audiences.

Plain constants with no import: the CSV library (app/imports) reads them without pulling
in the ORM; the models and forms import them from here (app.models.influencer re-exports
them). Human labels for each code are in app/i18n/labels.py.
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
AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
