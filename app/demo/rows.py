"""Row generators and the bulk writer behind `demo.seed` (see app/demo/seed.py)."""

from __future__ import annotations

import random
import time
from bisect import bisect
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.collation import search_text, sort_key
from app.core.bulk import RawInserter
from app.extensions import db
from app.models.influencer import AGE_BANDS, AGE_COLUMNS, INTERACTION_KINDS, KINDS, STATUSES
from app.models.network import RELATIONSHIP_KINDS

CHUNK = 5_000
TOPICS = (
    "beauté", "mode", "sport", "running", "musée", "art", "voyage", "cuisine", "tech",
    "gaming", "parentalité", "écologie", "lifestyle", "musique", "cinéma", "littérature",
    "photographie", "bien-être", "déco", "patrimoine",
)
FEMALE_LEANING = {"beauté", "mode", "parentalité", "déco", "bien-être"}
CITIES = {
    "FR": ("Paris", "Lyon", "Marseille", "Bordeaux", "Lille", "Nantes", "Toulouse",
           "Strasbourg", "Montpellier", "Rennes", "Nice", "Grenoble", "Dijon", "Angers"),
    "BE": ("Bruxelles", "Liège", "Namur", "Charleroi"), "CH": ("Genève", "Lausanne", "Fribourg"),
    "CA": ("Montréal", "Québec", "Gatineau"), "MA": ("Casablanca", "Rabat", "Marrakech"),
    "LU": ("Luxembourg",), "SN": ("Dakar", "Saint-Louis"),
}
COUNTRY_WEIGHTS = {"FR": 80, "BE": 6, "CH": 4, "CA": 4, "MA": 3, "LU": 1, "SN": 2}
KIND_WEIGHTS = dict(zip(KINDS, (4, 10, 8, 30, 18, 5, 5, 8, 2, 10), strict=True))
STATUS_WEIGHTS = dict(zip(STATUSES, (55, 18, 12, 6, 5, 4), strict=True))
AGE_PROFILE = dict(zip(AGE_BANDS, (6, 28, 32, 17, 9, 5, 3), strict=True))
MAIN_PLATFORM = {
    "journalist": "x", "youtuber": "youtube", "blogger": "blog", "instagrammer": "instagram",
    "tiktoker": "tiktok", "podcaster": "podcast", "streamer": "twitch", "expert": "linkedin",
    "celebrity": "instagram", "other": "facebook",
}
EXTRA_PLATFORMS = ("instagram", "tiktok", "youtube", "x", "facebook", "threads", "pinterest",
                   "bluesky", "snapchat", "newsletter")
URLS = {
    "instagram": "https://www.instagram.com/{}/", "tiktok": "https://www.tiktok.com/@{}",
    "youtube": "https://www.youtube.com/@{}", "x": "https://x.com/{}",
    "twitch": "https://www.twitch.tv/{}", "linkedin": "https://www.linkedin.com/in/{}",
    "facebook": "https://www.facebook.com/{}", "threads": "https://www.threads.net/@{}",
    "pinterest": "https://www.pinterest.fr/{}/", "bluesky": "https://bsky.app/profile/{}",
    "blog": "https://{}.fr",
}
MAIL_DOMAINS = ("gmail.com", "orange.fr", "free.fr", "outlook.fr", "laposte.net",
                "hotmail.fr", "sfr.fr", "proton.me")
SUMMARIES = {
    "email": "Premier contact par e-mail pour présenter la marque",
    "dm": "Message privé après sa dernière publication",
    "call": "Appel pour caler le calendrier de publication",
    "meeting": "Rendez-vous à l'agence pour discuter d'un partenariat",
    "event_invitation": "Invitation au vernissage de la nouvelle exposition",
    "product_sent": "Envoi du coffret de la nouvelle collection",
    "note": "Aime les collaborations longues, pas de placement alcool",
}

COLUMNS = {
    "influencer": ("id", "display_name", "sort_name", "kind", "email", "city", "country",
                   "tax_country", "languages", "owner_id", "status", "data_source", "lawful_basis",
                   "informed_on", "consent_on", "followers_total", "engagement_rate",
                   "search_text", "created_at", "updated_at", "created_by_id", "version",
                   "audience_female", "audience_top_country", *AGE_COLUMNS.values()),
    "social_account": ("id", "influencer_id", "platform", "handle", "profile_url", "followers",
                       "following", "posts", "avg_likes", "avg_comments", "engagement_rate",
                       "credibility", "figures_on", "created_at", "updated_at", "version"),
    "audience_snapshot": ("id", "account_id", "influencer_id", "taken_on", "followers",
                          "credibility", "source", "is_latest", "created_at", "updated_at"),
    "audience_share": ("id", "snapshot_id", "influencer_id", "dimension", "key", "share",
                       "rank", "is_latest"),
    "influencer_tag": ("influencer_id", "tag_id"),
    "relationship": ("id", "source_id", "target_id", "kind", "weight", "observed_on", "origin",
                     "created_at", "updated_at"),
    "interaction": ("id", "influencer_id", "user_id", "kind", "occurred_at", "summary",
                    "follow_up_on", "follow_up_done", "created_at", "updated_at",
                    "created_by_id"),
}


def _picker(rng: random.Random, weights: dict):
    items, cum = list(weights), list(accumulate(weights.values()))
    total, rand = cum[-1], rng.random
    return lambda: items[bisect(cum, rand() * total)]


def _engagement(rng: random.Random, followers: int) -> float:
    """Smaller accounts engage more: nano 3-8 %, micro 2-5 %, macro 1-3 %, mega 0.5-2 %."""
    low, high = ((0.03, 0.08) if followers < 10_000 else (0.02, 0.05) if followers < 100_000
                 else (0.01, 0.03) if followers < 1_000_000 else (0.005, 0.02))
    return round(rng.uniform(low, high), 4)


class Rows:
    """Generates and writes the demo rows, chunk by chunk, with ids chosen up front."""

    def __init__(self, session: Session, rng: random.Random, pools, owners: list[int],
                 tag_ids: dict[str, int]) -> None:
        self.inserter = RawInserter(session)
        self.session, self.rng, self.owners = session, rng, owners or [None]
        self.dialect = self.inserter.dialect
        self.raw = self.inserter.raw
        self.firsts, self.lasts = pools
        self.tag_ids = tag_ids
        self.next_id = {t: self._max_id(t) + 1 for t in COLUMNS if t != "influencer_tag"}
        self.first_influencer = self.next_id["influencer"]
        self.today = date.today()
        now = datetime.now(UTC).replace(microsecond=0)
        stamps = sorted(now - timedelta(minutes=rng.randrange(700 * 24 * 60))
                        for _ in range(2000))
        self.moments = stamps
        self.stamps = [self._ts(s) for s in stamps]
        self.days = [self._day(self.today - timedelta(days=n)) for n in range(800)]
        self.kind, self.status = _picker(rng, KIND_WEIGHTS), _picker(rng, STATUS_WEIGHTS)
        self.country = _picker(rng, COUNTRY_WEIGHTS)
        self.population: list[int] = []
        self.weights: list[float] = []
        self.counts = {t: 0 for t in COLUMNS}
        if self.dialect == "sqlite":
            # Index pages stay in memory for the whole load instead of churning through the
            # WAL (the default cache is 2 MB): this halves the write time at 100k influencers.
            self.raw.execute("PRAGMA cache_size=-262144")
        if self.dialect == "postgresql":
            self._skip_foreign_key_triggers()

    # --- writing ---------------------------------------------------------------------
    def _skip_foreign_key_triggers(self) -> None:
        """PostgreSQL checks each foreign key with a per-row trigger: two thirds of the load
        time for 1.6 million audience shares. The rows reference ids chosen here, so, as
        pg_restore --disable-triggers does, the checks are skipped for this transaction when
        the role may (superuser); otherwise the load is just slower."""
        is_super = self.session.scalar(text("SELECT current_setting('is_superuser')"))
        if is_super == "on":
            self.session.execute(text("SET LOCAL session_replication_role = replica"))

    def _max_id(self, table: str) -> int:
        model_table = db.metadata.tables[table]
        return self.session.scalar(select(func.max(model_table.c.id))) or 0

    def _ts(self, value: datetime):
        return self.inserter.ts(value)

    def _day(self, value: date):
        return self.inserter.day(value)

    def write(self, table: str, rows: list[tuple]) -> None:
        self.counts[table] += len(rows)
        self.inserter.insert(table, COLUMNS[table], rows)

    def take_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # --- the whole run -----------------------------------------------------------------
    def write_all(self, count: int, timings: dict) -> dict:
        mark = time.perf_counter()
        for start in range(0, count, CHUNK):
            batch: dict[str, list[tuple]] = {t: [] for t in COLUMNS}
            for _ in range(min(CHUNK, count - start)):
                self.influencer(batch)
            for table in COLUMNS:
                self.write(table, batch[table])
        timings["influencers"] = time.perf_counter() - mark
        mark = time.perf_counter()
        self.relationships()
        self.interactions(min(600, max(10, count // 3)))
        timings["network"] = time.perf_counter() - mark
        return {"influencers": self.counts["influencer"],
                "accounts": self.counts["social_account"],
                "relationships": self.counts["relationship"],
                "interactions": self.counts["interaction"],
                "snapshots": self.counts["audience_snapshot"]}

    # --- one influencer ------------------------------------------------------------------
    def influencer(self, batch: dict[str, list[tuple]]) -> None:
        rng = self.rng
        iid = self.take_id("influencer")
        first, first_slug = rng.choice(self.firsts)
        last, last_slug = rng.choice(self.lasts)
        name, kind, country, status = f"{first} {last}", self.kind(), self.country(), self.status()
        email = (f"{first_slug}.{last_slug}@{rng.choice(MAIL_DOMAINS)}"
                 if rng.random() < 0.7 else None)
        topics = rng.sample(TOPICS, rng.choice((1, 1, 2, 2, 2, 3)))
        accounts = self.accounts(batch, iid, kind, f"{first_slug}.{last_slug}", topics, country)
        followers = sum(a[5] for a in accounts)
        self.population.append(iid)
        self.weights.append(followers ** 0.6)
        basis = "contract" if status == "ambassador" else rng.choice(
            ("legitimate_interest",) * 4 + ("consent",))
        contacted = status != "prospect"
        created = rng.randrange(len(self.stamps))
        batch["influencer"].append((
            iid, name, sort_key(name), kind, email, rng.choice(CITIES[country]), country, country,
            "fr,en" if rng.random() < 0.3 else "fr",
            rng.choice(self.owners) if rng.random() < 0.8 else None, status,
            rng.choice(("discovery_tool", "discovery_tool", "import", "import", "manual",
                        "referral", "event")), basis,
            rng.choice(self.days[:400]) if contacted else None,
            rng.choice(self.days[:300]) if basis == "consent" else None,
            followers, max(a[10] for a in accounts),
            search_text([name, email, *[a[3] for a in accounts]]),
            self.stamps[created], self.stamps[rng.randint(created, len(self.stamps) - 1)],
            self.owners[0], 1, *self.main_audience,
        ))
        batch["influencer_tag"].extend((iid, self.tag_ids[t]) for t in topics)

    def accounts(self, batch, iid: int, kind: str, slug: str, topics, country) -> list[tuple]:
        rng = self.rng
        platforms = [MAIN_PLATFORM[kind]]
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            extra = rng.choice(EXTRA_PLATFORMS)
            if extra not in platforms:
                platforms.append(extra)
        main_followers = int(min(1000 * rng.paretovariate(1.1), 12_000_000))
        rows = []
        for n, platform in enumerate(platforms):
            aid = self.take_id("social_account")
            # The account id makes handles unique per platform, across repeated seeds too.
            handle = f"{slug}.{aid}"
            url = URLS.get(platform)
            followers = main_followers if n == 0 else int(main_followers * rng.uniform(.05, .8))
            rate = _engagement(rng, followers)
            stamp = rng.choice(self.stamps)
            rows.append((
                aid, iid, platform, handle, url.format(handle) if url else None, followers,
                rng.randint(50, 2000), rng.randint(20, 3000), int(followers * rate * 0.95),
                int(followers * rate * 0.05), rate, round(rng.uniform(0.6, 0.98), 3),
                rng.choice(self.days[:120]), stamp, stamp, 1,
            ))
        batch["social_account"].extend(rows)
        self.audience(batch, rows[0], topics, country)
        return rows

    # --- audiences -------------------------------------------------------------------
    def audience(self, batch, account: tuple, topics, country: str) -> None:
        rng = self.rng
        # ~1 % of accounts (and always the first few of a run) get a year of snapshots.
        history = account[1] - self.first_influencer < 3 or rng.random() < 0.01
        if history:  # so that follower growth shows on their profiles
            for months, factor in ((9, 0.6), (6, 0.75), (3, 0.88)):
                self.snapshot(batch, account, topics, country, int(account[5] * factor),
                              self._day(self.today - timedelta(days=30 * months)), False)
        self.snapshot(batch, account, topics, country, account[5], account[12], True)

    def snapshot(self, batch, account, topics, country, followers, taken_on, latest) -> None:
        rng = self.rng
        sid, iid = self.take_id("audience_snapshot"), account[1]
        stamp = rng.choice(self.stamps)
        batch["audience_snapshot"].append((
            sid, account[0], iid, taken_on, followers, account[11], "Démo", latest, stamp, stamp,
        ))
        female = (rng.uniform(0.6, 0.92) if FEMALE_LEANING.intersection(topics)
                  else rng.uniform(0.25, 0.75))
        other = rng.uniform(0.005, 0.03)
        gender = {"female": female, "male": 1 - female - other, "other": other}
        young = 2.0 if account[2] in ("tiktok", "twitch", "snapchat") else 1.0
        age = {band: w * rng.uniform(0.5, 1.5) * (young if band in ("13-17", "18-24") else 1)
               for band, w in AGE_PROFILE.items()}
        total = sum(age.values())
        age = {band: w / total for band, w in age.items()}
        home = rng.uniform(0.45, 0.85)
        abroad = rng.sample([c for c in COUNTRY_WEIGHTS if c != country], 2)
        second = (1 - home) * rng.uniform(0.3, 0.6)
        countries = {country: home, abroad[0]: second,
                     abroad[1]: (1 - home - second) * rng.uniform(0.2, 0.6)}
        interests = {t: rng.uniform(0.15, 0.6) for t in rng.sample(TOPICS, 3)}
        shares = batch["audience_share"]
        for dimension, values in (("gender", gender), ("age", age), ("country", countries),
                                  ("interest", interests)):
            ranked = sorted(values.items(), key=lambda kv: -kv[1])
            for rank, (key, share) in enumerate(ranked, start=1):
                shares.append((self.take_id("audience_share"), sid, iid, dimension, key,
                               round(share, 4), rank, latest))
        if latest:  # only the main account gets snapshots: its audience is the influencer's
            self.main_audience = (round(female, 4), max(countries, key=countries.get),
                                  *(round(age[band], 4) for band in AGE_COLUMNS))

    # --- network and timeline ------------------------------------------------------------
    def relationships(self) -> None:
        """~3 edges per influencer, targets drawn in proportion to reach (a few hubs)."""
        rng, population = self.rng, self.population
        if len(population) < 2:
            return
        cum = list(accumulate(self.weights))
        total, rand, last = cum[-1], rng.random, len(population) - 1
        kind = _picker(rng, dict(zip(RELATIONSHIP_KINDS, (40, 25, 15, 8, 4, 8), strict=True)))
        batch: list[tuple] = []
        for source in population:
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 6))):
                target = population[min(bisect(cum, rand() * total), last)]
                if target == source:
                    continue
                stamp = rng.choice(self.stamps)
                batch.append((self.take_id("relationship"), source, target, kind(),
                              round(rng.uniform(0.1, 1), 2), rng.choice(self.days),
                              "import", stamp, stamp))
            if len(batch) >= CHUNK * 4:
                self.write("relationship", batch)
                batch = []
        self.write("relationship", batch)

    def interactions(self, count: int) -> None:
        rng, rows = self.rng, []
        users = [u for u in self.owners if u is not None] or [None]
        for _ in range(count):
            kind = rng.choice(INTERACTION_KINDS)
            user = rng.choice(users)
            at = rng.randrange(len(self.stamps) - 400, len(self.stamps))
            stamp = self.stamps[at]
            # A follow-up never comes before its interaction.
            follow_up = (self._day(max(self.today + timedelta(days=rng.randint(-10, 21)),
                                       self.moments[at].date()))
                         if rng.random() < 0.4 else None)
            rows.append((self.take_id("interaction"), rng.choice(self.population), user, kind,
                         stamp, SUMMARIES[kind], follow_up, False, stamp, stamp, user))
        self.write("interaction", rows)
