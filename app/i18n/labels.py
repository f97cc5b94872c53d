"""Human labels for the codes stored in the database, in the user's language.

Templates and forms call `label(group, code)`; the codes themselves stay English.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.i18n import current

# French states agree with their record, hence a context per record: « Campagne active »,
# « Opération publiée » (the context must be a literal for the catalogue's extraction).

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
        "campaign": _l("Campaign"),
    },
    "dimension": {
        "gender": _l("Gender"), "age": _l("Age"), "country": _l("Countries"),
        "city": _l("Cities"), "language": _l("Languages"), "interest": _l("Interests"),
    },
    "gender": {"female": _l("Women"), "male": _l("Men"), "other": _l("Other")},
    # Follower tiers of an account (app.models.rates.FOLLOWER_TIERS).
    "tier": {"nano": _l("Nano"), "micro": _l("Micro"), "mid": _l("Mid-tier"),
             "macro": _l("Macro"), "mega": _l("Mega")},
    "action": {
        "create": _l("created"), "update": _l("changed"), "delete": _l("moved to the trash"),
        "restore": _l("restored"), "purge": _l("deleted"), "erase": _l("erased (GDPR)"),
    },
    "entity": {
        "brand": _l("Brand"), "influencer": _l("Influencer"),
        "social_account": _l("Social account"), "audience_snapshot": _l("Audience snapshot"),
        "interaction": _l("Interaction"), "user": _l("User"), "import": _l("Import"),
        "relationships": _l("Influence network"),
        "campaign": _l("Campaign"), "participant": _l("Participant"),
        "operation": _l("Operation"), "platform_rate": _l("Platform CPM"),
        "fee_floor": _l("Minimum fees"),
        "scoring_settings": _l("Scoring weights"), "contract": _l("Contract"),
        "contract_signer": _l("Contract signer"),
    },
    # Kinds of edge of the influence network (app.models.network.RELATIONSHIP_KINDS).
    "relationship": {
        "follows": _l("Follow"), "mentions": _l("Mention"), "reposts": _l("Repost"),
        "collaborated": _l("Collaboration"), "same_agency": _l("Same agency"),
        "audience_overlap": _l("Audience overlap"),
    },
    # Column names as the audit log shows them; unknown ones print as they are.
    "field": {
        "display_name": _l("Name"), "name": _l("Name"), "legal_name": _l("Legal name"),
        "kind": _l("Kind"), "email": _l("Email"), "phone": _l("Phone"),
        "address": _l("Postal address"), "city": _l("City"), "country": _l("Country"),
        "tax_country": _l("Tax-residence country"), "languages": _l("Languages"),
        "date_of_birth": _l("Date of birth"), "agent_name": _l("Agent or agency"),
        "agent_email": _l("Agent's email"), "owner_id": _l("Owner"), "status": _l("Status"),
        "notes": _l("Notes"), "data_source": _l("Data source"),
        "data_source_detail": _l("Source detail"), "lawful_basis": _l("Lawful basis"),
        "informed_on": _l("Informed on"), "consent_on": _l("Consent given on"),
        "deleted_at": _l("In the trash since"), "erased_at": _l("Erased on"),
        "logo": _l("Logo"),
        "password_reset_link_until": _l("Password reset link valid until"),
        "password_reset_link_used": _l("Password reset link used"),
        "tags": _l("Tags"), "platform": _l("Platform"), "handle": _l("Handle"),
        "profile_url": _l("Profile address"), "followers": _l("Followers"),
        "following": _l("Following"), "posts": _l("Posts"),
        "engagement_rate": _l("Engagement rate"), "credibility": _l("Audience credibility"),
        "figures_on": _l("Figures as of"), "summary": _l("Summary"),
        "follow_up_on": _l("Follow up on"), "follow_up_done": _l("Follow-up done"),
        "occurred_at": _l("Date"), "taken_on": _l("Date of the figures"),
        "role": _l("Role"), "active": _l("Active"), "locale": _l("Language"),
        "sector": _l("Sector"), "registration_number": _l("Registration number"),
        "legal_form": _l("Legal form"), "signatory_name": _l("Signatory"),
        "signatory_title": _l("Signatory's title"), "website": _l("Website"),
        "influencer_id": _l("Influencer"), "account_id": _l("Account"),
        "user_id": _l("By"), "created_by_id": _l("Created by"), "source": _l("Source"),
        "is_latest": _l("Latest"), "followers_total": _l("Followers (all accounts)"),
        "reason": _l("Reason"), "erased": _l("Erased"),
        "contracts_kept": _l("Contracts kept (legal record)"),
        "created": _l("Created"), "updated": _l("Updated"), "unchanged": _l("Unchanged"),
        "rejected": _l("Rejected"),
        "file": _l("File"),
        "brand_id": _l("Brand"), "objective": _l("Objective"), "starts_on": _l("Start"),
        "ends_on": _l("End"), "budget_cents": _l("Budget"), "currency": _l("Currency"),
        "description": _l("Description"), "stage": _l("Stage"),
        "proposed_fee_cents": _l("Proposed fee"), "agreed_fee_cents": _l("Agreed fee"),
        "planned_on": _l("Planned for"), "brief": _l("Brief"), "caption": _l("Caption"),
        "review_comment": _l("Review comment"), "published_url": _l("Published address"),
        "published_on": _l("Published on"), "campaign_id": _l("Campaign"),
        "participant_id": _l("Participant"), "cost_cents": _l("Cost"),
        "revenue_cents": _l("Revenue"), "cpm_cents": _l("CPM"),
        "avg_likes": _l("Average likes"), "avg_comments": _l("Average comments"),
        "avg_views": _l("Average views"), "target_platforms": _l("Platforms"),
        "target_countries": _l("Countries"), "target_gender": _l("Gender"),
        "target_gender_share": _l("Minimum share of this gender"),
        "target_age_bands": _l("Age bands"), "target_languages": _l("Languages"),
        "target_interests": _l("Interests"), "kpi_targets": _l("KPI targets"),
        "hashtags": _l("Hashtags"), "mentions": _l("Mentions"),
        "submitted_at": _l("Submitted on"), "submitted_by_id": _l("Submitted by"),
        "reviewed_at": _l("Reviewed on"), "reviewed_by_id": _l("Reviewed by"),
        "impressions": _l("Impressions"), "reach": _l("Reach"), "views": _l("Views"),
        "likes": _l("Likes"), "comments": _l("Comments"), "shares": _l("Shares"),
        "saves": _l("Saves"), "clicks": _l("Clicks"), "conversions": _l("Conversions"),
        "metrics_source": _l("Source of the figures"), "number": _l("Contract number"),
        "title": _l("Title"), "language": _l("Language of the contract"),
        "template": _l("Template"), "products": _l("Products or services promoted"),
        "basis": _l("Term"), "deadline": _l("Deadline"), "operations": _l("Operations"),
        "pay_kind": _l("Pay"), "fixed_fee_cents": _l("Fixed fee (excl. VAT)"),
        "fee_per_operation_cents": _l("Fee per operation (excl. VAT)"),
        "benefits": _l("In-kind benefits"), "payment_terms": _l("Payment terms"),
        "in_kind_cents": _l("Value of the in-kind benefits"),
        "payment_days": _l("Payment within (days)"), "exclusivity": _l("Exclusivity"),
        "exclusivity_competitors": _l("Excluded competitors"),
        "exclusivity_months": _l("Exclusivity (months)"),
        "usage_media": _l("Media where the brand may use the content"),
        "usage_territories": _l("Territories of use"), "usage_months": _l("Use (months)"),
        "paid_amplification": _l("Paid amplification allowed"),
        "disclosure": _l("Disclosure wording"),
        "retouched_images": _l("Retouched images (« Images retouchées »)"),
        "virtual_images": _l("Virtual images (« Images virtuelles »)"),
        "foreign_disclosure": _l("Foreign audience"),
        "submission_days": _l("Draft sent ahead (days)"),
        "feedback_days": _l("Feedback within (days)"),
        "termination_notice_days": _l("Termination notice (days)"),
        "confidentiality": _l("Confidentiality clause"), "jurisdiction": _l("Jurisdiction"),
        "representatives": _l("Legal representatives"),
        "minor_authorisation": _l("Authorisation for a minor"),
        "eu_representative": _l("Representative in the EU"), "insurance": _l("Insurance"),
        "approved_at": _l("Approved on"), "approved_by_id": _l("Approved by"),
        "sent_at": _l("Sent on"), "signed_at": _l("Signed on"), "ended_at": _l("Ended on"),
        "end_reason": _l("Reason for ending"), "amendment": _l("Amendment"),
        "contract_id": _l("Contract"), "expires_at": _l("Link valid until"),
        "emailed": _l("Link sent by email"), "delivery": _l("Delivery of the link"),
        "delivered_at": _l("Link delivered on"), "delivered_by_id": _l("Link copied by"),
        "opened_at": _l("Link opened on"), "revoked_at": _l("Link revoked on"),
        "method": _l("Signature method"), "ip_address": _l("IP address"),
        "user_agent": _l("Browser"), "consent_text": _l("Text accepted"),
        "recorded_by_id": _l("Recorded by"),
    },
    # Campaigns (app.models.campaign).
    "objective": {
        "awareness": _l("Awareness"), "engagement": _l("Engagement"),
        "traffic": _l("Traffic"), "conversion": _l("Conversion"),
        "ugc": _l("User-generated content"), "event": _l("Event"),
    },
    "campaign_status": {
        "draft": _l("Draft"), "planned": lazy_pgettext("campaign status", "Planned"),
        "active": lazy_pgettext("campaign status", "Active"),
        "completed": lazy_pgettext("campaign status", "Completed"),
        "cancelled": lazy_pgettext("campaign status", "Cancelled"),
    },
    "stage": {
        "shortlisted": _l("Shortlisted"), "contacted": _l("Contacted"),
        "negotiating": _l("Negotiating"), "contracted": _l("Contracted"), "live": _l("Live"),
        "delivered": _l("Delivered"), "paid": _l("Paid"), "declined": _l("Declined"),
    },
    "operation_kind": {
        "post": _l("Post"), "story": _l("Story"), "reel": _l("Reel"), "video": _l("Video"),
        "live": _l("Live stream"), "article": _l("Article"),
        "event_appearance": _l("Event appearance"), "unboxing": _l("Unboxing"),
        "contest": _l("Contest or giveaway"), "takeover": _l("Account takeover"),
    },
    "operation_status": {
        "planned": lazy_pgettext("operation status", "Planned"),
        "submitted": lazy_pgettext("operation status", "Submitted for approval"),
        "changes_requested": _l("Changes requested"),
        "approved": lazy_pgettext("operation status", "Approved"),
        "published": lazy_pgettext("operation status", "Published"),
    },
    "metric": {
        "impressions": _l("Impressions"), "reach": _l("Reach"), "views": _l("Views"),
        "likes": _l("Likes"), "comments": _l("Comments"), "shares": _l("Shares"),
        "saves": _l("Saves"), "clicks": _l("Clicks"), "conversions": _l("Conversions"),
        "revenue": _l("Revenue"), "cost": _l("Cost"), "engagements": _l("Engagements"),
    },
    "kpi": {
        "reach": _l("Reach"), "impressions": _l("Impressions"),
        "engagements": _l("Engagements"), "conversions": _l("Conversions"),
        "engagement_rate_reach": _l("Engagement rate (by reach)"),
        "engagement_rate_followers": _l("Engagement rate (by followers)"),
        "cpe": _l("Cost per engagement (CPE)"), "cpm": _l("Cost per thousand (CPM)"),
        "emv": _l("Earned media value (EMV)"), "roi": _l("Return on investment (ROI)"),
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
        "retail": _l("Retail"), "public_sector": _l("Public sector"),
        "animals": _l("Animals (pets, exotic species)"), "other": _l("Other"),
    },
    "contract_status": {
        "draft": _l("Draft"), "pending_approval": _l("Pending approval"),
        "approved": _l("Approved"), "sent": _l("Sent for signature"), "signed": _l("Signed"),
        "active": _l("Active"), "completed": _l("Completed"), "terminated": _l("Terminated"),
        "cancelled": _l("Cancelled"),
    },
    "contract_basis": {
        "duration": _l("For a duration"), "operations": _l("For a number of operations"),
    },
    "pay_kind": {
        "fixed": _l("Fixed fee"), "per_operation": _l("Per operation"),
        "in_kind": _l("In kind"), "mixed": _l("Mixed (fee and in kind)"),
    },
    "disclosure": {
        "publicite": _l("« Publicité »"),
        "collaboration_commerciale": _l("« Collaboration commerciale »"),
    },
    "foreign_disclosure": {
        "none": _l("French audience only"), "ftc": _l("United States (FTC: #ad)"),
        "asa": _l("United Kingdom (ASA: “Ad”)"),
    },
    "usage_media": {
        "organic_social": _l("Brand's social accounts"), "paid_social": _l("Paid social ads"),
        "website": _l("Website"), "newsletter": _l("Newsletters"), "print": _l("Print"),
        "tv": _l("Television"), "outdoor": _l("Outdoor"), "in_store": _l("In store"),
    },
    "signer_role": {
        "brand": _l("Brand signatory"), "influencer": _l("Influencer"),
        "representative": _l("Legal representative"), "agent": _l("Agent"),
    },
    "document_kind": {
        "draft": _l("Draft"), "contract": _l("Approved contract"),
        "signed": _l("Signed contract"),
    },
    "contract_language": {"fr": _l("French"), "en": _l("English")},
    # How a signer signed, and how their link reached them (app.models.contract).
    "signing_method": {"link": _l("Signature link"), "scan": _l("Signed paper scan")},
    "link_delivery": {"email": _l("Sent by email"), "shown": _l("Shown to the sender"),
                      "copied": _l("Copied by the sender")},
}


@lru_cache(maxsize=128)
def _translated(group: str, locale: str) -> dict[str, str]:
    """A group's labels in `locale` (the caller's current one), translated once: a list
    page asks for a few dozen, each a catalogue lookup through a lazy string."""
    del locale  # the cache key: the lazy strings read the current language
    return {code: str(text) for code, text in LABELS.get(group, {}).items()}


def label(group: str, code: str | None) -> str:
    if code is None or code == "":
        return "—"
    return _translated(group, current.code()).get(code, code)


def choices(group: str, codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    return [(code, label(group, code)) for code in codes]


def role_label(role: str) -> str:
    return label("role", role)
