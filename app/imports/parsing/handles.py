"""Social handles as people type them: `@name`, `name` or a profile URL, in any form.

Plain Python (no Flask) so the CSV import reuses it. A handle is stored lower case,
without `@` or URL, so that (platform, handle) is unique whatever way it was typed.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

from app.codes import PLATFORMS
from app.core.text import N_

HANDLE_MAX = 100
# Letters, digits, dot, underscore, hyphen: what every network allows (some allow fewer).
_HANDLE_RE = re.compile(rf"[a-z0-9._-]{{1,{HANDLE_MAX}}}", re.ASCII)
# Sites without a handle of their own (blog, podcast…) keep "host/path" as the handle.
_SITE_RE = re.compile(rf"[a-z0-9._~/-]{{1,{HANDLE_MAX}}}", re.ASCII)
_YOUTUBE_CHANNEL_RE = re.compile(r"UC[A-Za-z0-9_-]{22}", re.ASCII)
_SITE_PLATFORMS = {"blog", "podcast", "newsletter", "other"}

# Registered domain → platform. Sub-domains (www., m., fr.…) are dropped before lookup.
_DOMAINS = {
    "instagram.com": "instagram", "instagr.am": "instagram",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "x.com": "x", "twitter.com": "x",
    "facebook.com": "facebook", "fb.com": "facebook",
    "linkedin.com": "linkedin",
    "twitch.tv": "twitch",
    "threads.net": "threads", "threads.com": "threads",
    "bsky.app": "bluesky",
    "snapchat.com": "snapchat",
}

# Path heads that are pages of the site, not profiles (a pasted post link, a search…).
_NOT_PROFILES = {
    "instagram": {"p", "reel", "reels", "tv", "explore", "accounts", "direct", "stories"},
    "tiktok": {"video", "tag", "music", "discover", "search", "foryou", "t"},
    "youtube": {"watch", "shorts", "playlist", "results", "feed", "embed", "live"},
    "x": {"home", "i", "intent", "search", "hashtag", "share", "explore", "settings"},
    "facebook": {"groups", "events", "watch", "share", "sharer", "photo.php", "story.php",
                 "marketplace", "hashtag", "reel"},
    "twitch": {"videos", "directory", "search"},
    "pinterest": {"pin", "search", "ideas"},
}

_ALIASES = {
    "instagram": {"instagram", "insta", "ig", "instagramm"},
    "tiktok": {"tiktok", "tik tok", "tt", "douyin"},
    "youtube": {"youtube", "yt", "you tube", "youtubeur", "youtuber"},
    "x": {"x", "twitter", "tw", "xtwitter", "x twitter", "twitterx"},
    "facebook": {"facebook", "fb", "meta", "face book"},
    "linkedin": {"linkedin", "linked in", "li", "lnkd"},
    "snapchat": {"snapchat", "snap", "sc"},
    "twitch": {"twitch", "twitchtv"},
    "pinterest": {"pinterest", "pin", "pint"},
    "threads": {"threads", "thread"},
    "bluesky": {"bluesky", "bsky", "blue sky"},
    "blog": {"blog", "blogue", "site", "website", "site web", "siteweb", "web"},
    "podcast": {"podcast", "balado", "baladodiffusion"},
    "newsletter": {"newsletter", "lettre d'information", "lettre dinformation",
                   "infolettre", "substack"},
    "other": {"other", "autre", "autres", "divers"},
}
_ALIAS_INDEX = {
    re.sub(r"[\s._'()-]+", "", alias): platform
    for platform, aliases in _ALIASES.items()
    for alias in aliases
}



class HandleError(ValueError):
    """A handle, URL or platform name that cannot be understood; the message says why.

    `template` and `params` let a web view translate the message (`_(template, **params)`);
    `str(error)` is the English text.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


def _fold(text: str) -> str:
    without_accents = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in without_accents if not unicodedata.combining(c))
    return re.sub(r"[\s._'()\-/]+", "", ascii_text.casefold())


def platform_from_name(text: str | None) -> str:
    """"Insta", "IG", "Tik Tok", "YT", "Twitter", "X"… → the platform code."""
    folded = _fold(text or "")
    if not folded:
        raise HandleError(N_("No platform given."))
    platform = _ALIAS_INDEX.get(folded)
    if platform is None:
        raise HandleError(N_("Unknown platform “%(name)s”."), name=text.strip()[:40])
    return platform


def _looks_like_url(text: str) -> bool:
    lowered = text.lower()
    return lowered.startswith(("http://", "https://", "www.")) or "/" in text


def _platform_of_host(host: str) -> str | None:
    labels = host.lower().rstrip(".").split(".")
    if "pinterest" in labels:  # pinterest.fr, pinterest.co.uk, fr.pinterest.com…
        return "pinterest"
    return _DOMAINS.get(".".join(labels[-2:]))


def _check_handle(handle: str, platform: str | None) -> str:
    handle = handle.strip().lstrip("@").lower()
    if not handle:
        raise HandleError(N_("The handle is empty."))
    if len(handle) > HANDLE_MAX:
        raise HandleError(N_("A handle has at most %(n)d characters."), n=HANDLE_MAX)
    if platform != "tiktok" and handle in _NOT_PROFILES.get(platform or "", _NONE):
        # Its profile address would be a page of the site ("instagram.com/p/").
        raise HandleError(N_("This name is reserved by the platform, not a profile."))
    pattern = _SITE_RE if platform in _SITE_PLATFORMS else _HANDLE_RE
    if not pattern.fullmatch(handle):
        raise HandleError(N_(
            "A handle may only contain letters without accents, digits, dots, "
            "underscores and hyphens."
        ))
    return handle


def _handle_from_path(platform: str, segments: list[str], query: str) -> tuple[str, str]:
    """The profile part of a URL path → (handle as written, profile kind)."""
    if not segments:
        if platform == "facebook" and "id" in parse_qs(query):
            return parse_qs(query)["id"][0], "id"
        raise HandleError(N_("This address is the site itself, not a profile."))
    head = segments[0]
    if head.lower() in _NOT_PROFILES.get(platform, _NONE):
        raise HandleError(N_("This address is a post or a page, not a profile."))
    if platform == "facebook" and head.lower() == "profile.php":
        ids = parse_qs(query).get("id")
        if not ids:
            raise HandleError(N_("This Facebook address has no profile id."))
        return ids[0], "id"
    nested = {
        "youtube": {"c": "c", "user": "user", "channel": "channel"},
        "linkedin": {"in": "in", "company": "company", "school": "school"},
        "bluesky": {"profile": "profile"},
        "snapchat": {"add": "add"},
    }.get(platform, {})
    if head.lower() in nested:
        if len(segments) < 2:
            raise HandleError(N_("This address has no profile name."))
        return segments[1], nested[head.lower()]
    if platform in {"linkedin", "bluesky", "snapchat"}:
        raise HandleError(N_("This address is not a profile."))
    if platform == "tiktok" and not head.startswith("@"):
        raise HandleError(N_("A TikTok profile address looks like tiktok.com/@name."))
    return head, "@" if head.startswith("@") else ""


def _parse_url(text: str) -> tuple[str | None, str, str, str]:
    """→ (platform or None, raw handle, profile kind, cleaned URL)."""
    candidate = text if re.match(r"(?i)https?://", text) else "https://" + text.lstrip("/")
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").lower()
    except ValueError as error:
        raise HandleError(N_("This address cannot be read.")) from error
    if not host or "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host, re.ASCII):
        raise HandleError(N_("This address has no valid site name."))
    platform = _platform_of_host(host)
    segments = [s for s in parts.path.split("/") if s]
    if platform is None:
        site = host.removeprefix("www.") + "/" + "/".join(segments)
        url = f"https://{host}/{'/'.join(segments)}"
        return None, site.rstrip("/"), "site", url
    raw, kind = _handle_from_path(platform, segments, parts.query)
    return platform, raw, kind, ""


_NONE: frozenset[str] = frozenset()
# The profile address of a plain @handle, per network.
_PROFILE_URLS = {
    "instagram": "https://www.instagram.com/{}/",
    "tiktok": "https://www.tiktok.com/@{}",
    "x": "https://x.com/{}",
    "facebook": "https://www.facebook.com/{}",
    "twitch": "https://www.twitch.tv/{}",
    "pinterest": "https://www.pinterest.com/{}/",
    "threads": "https://www.threads.net/@{}",
    "bluesky": "https://bsky.app/profile/{}",
    "snapchat": "https://www.snapchat.com/add/{}",
}


def _profile_url(platform: str, handle: str, kind: str, original: str) -> str | None:
    if platform == "youtube":
        if kind == "channel" or _YOUTUBE_CHANNEL_RE.fullmatch(original):
            # Channel ids are case-sensitive on YouTube: the link keeps the typed case.
            return f"https://www.youtube.com/channel/{original}"
        if kind in {"c", "user"}:
            return f"https://www.youtube.com/{kind}/{handle}"
        return f"https://www.youtube.com/@{handle}"
    if platform == "linkedin":
        section = kind if kind in {"company", "school"} else "in"
        return f"https://www.linkedin.com/{section}/{handle}/"
    if platform == "facebook" and kind == "id":
        return f"https://www.facebook.com/profile.php?id={handle}"
    return _PROFILE_URLS.get(platform, "").format(handle) or None


def bare_handle(text: str | None) -> str | None:
    """`@Name` or `name` typed without a platform → the handle as stored (lower case, no
    `@`), for the caller to look up on every platform; None for a profile address (which
    normalise_handle reads, platform included). HandleError when it cannot be a handle."""
    text = (text or "").strip()
    if _looks_like_url(text):
        return None
    if len(text.split(None, 1)) > 1:
        raise HandleError(N_("A handle or an address has no spaces."))
    if _platform_of_host(text.lower()) is not None and "." in text:
        raise HandleError(N_("This is the site's address, not a profile: add the name."))
    return _check_handle(text, None)


def normalise_handle(text: str | None, platform: str | None = None
                     ) -> tuple[str, str, str | None]:
    """`@Name`, `name` or a profile URL → (platform, handle, profile URL).

    The platform comes from the URL when there is one; an explicitly chosen platform that
    the URL contradicts is an error rather than a silent guess.
    """
    if platform is not None and platform not in PLATFORMS:
        raise HandleError(N_("Unknown platform “%(name)s”."), name=str(platform)[:40])
    text = (text or "").strip()
    if not text:
        raise HandleError(N_("Type a handle or a profile address."))
    if len(text.split(None, 1)) > 1:  # stripped: any whitespace left is inside
        raise HandleError(N_("A handle or an address has no spaces."))
    if len(text) > 500:
        raise HandleError(N_("This is too long for a handle or a profile address."))
    if not _looks_like_url(text):
        if _platform_of_host(text.lower()) is not None and "." in text:
            raise HandleError(N_("This is the site's address, not a profile: add the name."))
        if platform is None:
            raise HandleError(N_("Choose the platform, or paste the profile address."))
        handle = _check_handle(text, platform)
        return platform, handle, _profile_url(platform, handle, "", text.lstrip("@"))
    found, raw, kind, site_url = _parse_url(text)
    if found is None:
        if platform not in _SITE_PLATFORMS:
            raise HandleError(N_(
                "This site is not a known network: choose Blog, Podcast, Newsletter or "
                "Other as the platform."
            ))
        return platform, _check_handle(raw, platform), site_url
    if platform is not None and platform != found:
        raise HandleError(
            N_("This is a %(found)s address but the platform chosen is %(chosen)s."),
            found=found, chosen=platform,
        )
    original = raw.lstrip("@")
    handle = _check_handle(original, found)
    return found, handle, _profile_url(found, handle, kind, original)
