"""Handles typed as @name, name or a profile address are normalised, platform recognised."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.imports.parsing.handles import (
    HandleError,
    bare_handle,
    normalise_handle,
    platform_from_name,
)
from app.models.influencer import PLATFORMS


@pytest.mark.parametrize(
    ("text", "platform", "expected"),
    [
        ("@Camille.Dupont", "instagram", ("instagram", "camille.dupont",
                                          "https://www.instagram.com/camille.dupont/")),
        ("camille_dupont", "instagram", ("instagram", "camille_dupont",
                                         "https://www.instagram.com/camille_dupont/")),
        ("https://www.instagram.com/Camille.Dupont/?hl=fr", None,
         ("instagram", "camille.dupont", "https://www.instagram.com/camille.dupont/")),
        ("instagram.com/camille", None, ("instagram", "camille",
                                         "https://www.instagram.com/camille/")),
        ("http://m.instagram.com/camille/", "instagram",
         ("instagram", "camille", "https://www.instagram.com/camille/")),
        ("https://www.tiktok.com/@Lea.Cuisine?lang=fr", None,
         ("tiktok", "lea.cuisine", "https://www.tiktok.com/@lea.cuisine")),
        ("youtube.com/@NormanFaitDesVideos", None,
         ("youtube", "normanfaitdesvideos", "https://www.youtube.com/@normanfaitdesvideos")),
        ("https://youtube.com/c/Cyprien", None, ("youtube", "cyprien",
                                                 "https://www.youtube.com/c/cyprien")),
        ("https://www.youtube.com/user/squeezie", None,
         ("youtube", "squeezie", "https://www.youtube.com/user/squeezie")),
        ("https://www.youtube.com/channel/UCWeg2Pkate69NFdBeuRFTAw", None,
         ("youtube", "ucweg2pkate69nfdbeurftaw",
          "https://www.youtube.com/channel/UCWeg2Pkate69NFdBeuRFTAw")),
        ("UCWeg2Pkate69NFdBeuRFTAw", "youtube",
         ("youtube", "ucweg2pkate69nfdbeurftaw",
          "https://www.youtube.com/channel/UCWeg2Pkate69NFdBeuRFTAw")),
        ("https://x.com/Le_Monde", None, ("x", "le_monde", "https://x.com/le_monde")),
        ("twitter.com/le_monde/", "x", ("x", "le_monde", "https://x.com/le_monde")),
        ("https://mobile.twitter.com/le_monde", None, ("x", "le_monde",
                                                       "https://x.com/le_monde")),
        ("https://www.facebook.com/louvre.museum", None,
         ("facebook", "louvre.museum", "https://www.facebook.com/louvre.museum")),
        ("https://fr.linkedin.com/in/Jean-Dupont/", None,
         ("linkedin", "jean-dupont", "https://www.linkedin.com/in/jean-dupont/")),
        ("twitch.tv/Zerator", None, ("twitch", "zerator", "https://www.twitch.tv/zerator")),
        ("https://www.pinterest.fr/deco_maison/", None,
         ("pinterest", "deco_maison", "https://www.pinterest.com/deco_maison/")),
        ("https://www.threads.net/@camille", None,
         ("threads", "camille", "https://www.threads.net/@camille")),
        ("https://bsky.app/profile/camille.bsky.social", None,
         ("bluesky", "camille.bsky.social", "https://bsky.app/profile/camille.bsky.social")),
        ("https://www.snapchat.com/add/camille", None,
         ("snapchat", "camille", "https://www.snapchat.com/add/camille")),
        ("https://mon-blog.fr/", "blog", ("blog", "mon-blog.fr", "https://mon-blog.fr/")),
        ("@podcastname", "podcast", ("podcast", "podcastname", None)),
    ],
)
def test_normalise(text, platform, expected):
    assert normalise_handle(text, platform) == expected


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("", "instagram"),
        ("   ", "instagram"),
        ("@", "instagram"),
        ("camille", None),  # no platform and no address to recognise it from
        ("camille dupont", "instagram"),
        ("café", "instagram"),
        ("<script>", "instagram"),
        ("a" * 101, "instagram"),
        ("https://www.instagram.com/camille", "tiktok"),  # contradicts the chosen platform
        ("https://www.instagram.com/p/C1234/", None),  # a post, not a profile
        ("https://www.instagram.com/", None),
        ("https://www.tiktok.com/camille", None),
        ("https://www.youtube.com/watch?v=abc", None),
        ("https://example.com/camille", "instagram"),
        ("https://example.com/camille", None),
        ("http://[::1", None),
        ("instagram.com", "instagram"),
        ("camille", "myspace"),
    ],
)
def test_refused(text, platform):
    with pytest.raises(HandleError) as info:
        normalise_handle(text, platform)
    assert str(info.value)


@pytest.mark.parametrize(
    ("name", "platform"),
    [
        ("Insta", "instagram"), ("IG", "instagram"), ("instagram", "instagram"),
        ("Twitter", "x"), ("X", "x"), ("YT", "youtube"), ("Youtube", "youtube"),
        ("YouTube", "youtube"), ("Tik Tok", "tiktok"), ("tiktok", "tiktok"),
        ("LinkedIn", "linkedin"), ("Linked-In", "linkedin"), ("Facebook", "facebook"),
        ("Blogue", "blog"), ("Autre", "other"), (" bsky ", "bluesky"),
    ],
)
def test_platform_from_name(name, platform):
    assert platform_from_name(name) == platform


@pytest.mark.parametrize("name", ["", "   ", "myspace", None])
def test_platform_from_name_refused(name):
    with pytest.raises(HandleError):
        platform_from_name(name)


def test_every_platform_has_its_own_name():
    assert all(platform_from_name(p) == p for p in PLATFORMS)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=120), platform=st.sampled_from([None, *PLATFORMS]))
def test_never_crashes(text, platform):
    try:
        found, handle, url = normalise_handle(text, platform)
    except HandleError:
        return
    assert found in PLATFORMS
    assert handle == handle.lower().strip() and not handle.startswith("@")
    assert 1 <= len(handle) <= 100
    assert url is None or url.startswith("https://")


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(text=st.from_regex(r"[a-z0-9._-]{1,30}", fullmatch=True),
       platform=st.sampled_from(["instagram", "tiktok", "x", "twitch", "facebook"]))
def test_idempotent(text, platform):
    """A stored handle, typed again or via its profile URL, gives the same record key."""
    try:
        _p, handle, url = normalise_handle(text, platform)
    except HandleError:
        return  # e.g. a name the platform reserves
    assert normalise_handle(handle, platform)[1] == handle
    assert normalise_handle(url, None)[:2] == (platform, handle)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=40))
def test_platform_from_name_never_crashes(text):
    with contextlib.suppress(HandleError):
        assert platform_from_name(text) in PLATFORMS


@pytest.mark.parametrize(("text", "platform"), [("p", "instagram"), ("explore", "instagram"),
                                                ("home", "x"), ("watch", "youtube")])
def test_reserved_names_are_not_handles(text, platform):
    with pytest.raises(HandleError):
        normalise_handle(text, platform)


@pytest.mark.parametrize(("text", "expected"), [
    ("@Marie", "marie"), ("  marie.dupont ", "marie.dupont"), ("@p", "p"),
    ("https://www.instagram.com/marie/", None), ("tiktok.com/@marie", None),
])
def test_bare_handle_without_a_platform(text, expected):
    assert bare_handle(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("marie dupont", "no spaces"), ("instagram.com", "site's address"), ("@", "empty"),
    ("marié", "letters without accents"),
])
def test_bare_handle_refusals_say_why(text, message):
    with pytest.raises(HandleError, match=message):
        bare_handle(text)
