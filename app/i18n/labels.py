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
        "campaign": _l("Campaign"),
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
    "entity": {
        "brand": _l("Brand"), "influencer": _l("Influencer"),
        "social_account": _l("Social account"), "audience_snapshot": _l("Audience snapshot"),
        "interaction": _l("Interaction"), "user": _l("User"), "import": _l("Import"),
        "relationships": _l("Influence network"),
        "campaign": _l("Campaign"), "participant": _l("Participant"),
        "operation": _l("Operation"), "platform_rate": _l("Platform CPM"),
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
    },
    # Campaigns (app.models.campaign).
    "objective": {
        "awareness": _l("Awareness"), "engagement": _l("Engagement"),
        "traffic": _l("Traffic"), "conversion": _l("Conversion"),
        "ugc": _l("User-generated content"), "event": _l("Event"),
    },
    "campaign_status": {
        "draft": _l("Draft"), "planned": _l("Planned"), "active": _l("Active"),
        "completed": _l("Completed"), "cancelled": _l("Cancelled"),
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
        "planned": _l("Planned"), "submitted": _l("Submitted for approval"),
        "changes_requested": _l("Changes requested"), "approved": _l("Approved"),
        "published": _l("Published"),
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
}


def label(group: str, code: str | None) -> str:
    if code is None or code == "":
        return "—"
    return str(LABELS.get(group, {}).get(code, code))


def choices(group: str, codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    return [(code, label(group, code)) for code in codes]


def role_label(role: str) -> str:
    return label("role", role)
