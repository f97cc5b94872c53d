"""Rows of one file deduplicated and merged, and a French Excel file read end to end."""



from app.imports.parsing.dedupe import dedupe_within_file, merge_rows
from app.imports.parsing.mapping import suggest_mapping
from app.imports.parsing.reading import open_rows, sniff
from app.imports.parsing.rows import (
    ColumnPlan,
    NormalisedRow,
    RowProblem,
    normalise_row,
)


def _rows(*specs):
    """(line, email, [(platform, handle)…], followers) → NormalisedRows."""
    return [NormalisedRow(line, {"email": email} if email else {},
                          [{"platform": p, "handle": h, "profile_url": None, "followers": f}
                           for p, h in accounts], [])
            for line, email, accounts, f in specs]


def test_dedupe_within_file_marks_later_rows_of_the_same_person():
    rows = _rows((2, "a@x.fr", [("instagram", "zoe")], 1),
                 (3, None, [("instagram", "zoe"), ("tiktok", "zoe")], 2),
                 (4, None, [("tiktok", "zoe")], 3),
                 (5, "A@x.fr".lower(), [], 4),
                 (6, "b@x.fr", [("instagram", "lea")], 5),
                 (7, "b@x.fr", [("instagram", "zoe")], 6))
    out = list(dedupe_within_file(rows))
    assert [r.same_as for r in out[:5]] == [None, 2, 2, 2, None]
    assert isinstance(out[5], list) and out[5][0].reason == (
        "this row matches two different people (lines 2 and 6)")


def test_dedupe_passes_problems_through_and_uses_site_urls():
    blog = NormalisedRow(2, {}, [{"platform": "blog", "handle": "monblog.fr",
                                  "profile_url": "https://monblog.fr/"}], [])
    same = NormalisedRow(3, {}, [{"platform": "other", "handle": "monblog.fr",
                                  "profile_url": "https://MonBlog.fr"}], [])
    problem = [RowProblem(4, "Nom", "", "x")]
    out = list(dedupe_within_file([blog, problem, same]))
    assert out[1] is problem and out[2].same_as == 2


def test_merge_rows_fills_blanks_and_later_figures_win():
    earlier = NormalisedRow(2, {"display_name": "Zoé", "city": "Paris"},
                            [{"platform": "instagram", "handle": "zoe", "profile_url": "u",
                              "followers": 100, "posts": 5}], ["mode"])
    later = NormalisedRow(9, {"display_name": "Zoé L.", "country": "FR"},
                          [{"platform": "instagram", "handle": "zoe", "profile_url": None,
                            "followers": 150},
                           {"platform": "tiktok", "handle": "zoe", "profile_url": "t"}],
                          ["Mode", "voyage"])
    merged = merge_rows(earlier, later)
    assert merged.person == {"display_name": "Zoé", "city": "Paris", "country": "FR"}
    assert merged.accounts[0] == {"platform": "instagram", "handle": "zoe",
                                  "profile_url": "u", "followers": 150, "posts": 5}
    assert merged.accounts[1]["platform"] == "tiktok"
    assert merged.tags == ["mode", "voyage"] and merged.line == 2


def test_french_excel_file_end_to_end(tmp_path):
    lines = [
        "Prénom;Nom;Réseau;Compte;Abonnés;Taux d'engagement;E-mail;Pays;Catégorie;Notes",
        "Zoé;Lœvenbruck;Instagram;@Zoe.LV;9,5 M;3,2 %;Zoe@Exemple.fr;France;beauté, mode;"
        "\"Budget 1 500 €, “top”\"",
        "Léa;Martin;TikTok;tiktok.com/@lea;12 400;4,1 %;;Belgique;food;\"Deux\r\nlignes\"",
        "",
        "Zoé;L.;Insta;zoe.lv;9,6 M;3,3 %;;;;",
        "Hugo;Bé;YT;@hugo;beaucoup;2 %;hugo@;Atlantide;;",
        ";;;;;;;;;",
    ]
    path = tmp_path / "export excel.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    found = sniff(path)
    assert (found.encoding, found.delimiter) == ("cp1252", ";")
    rows = open_rows(path)
    _, headers = next(rows)
    plan = ColumnPlan(headers, suggest_mapping(headers))
    out = list(dedupe_within_file(normalise_row(c, plan, n) for n, c in rows))
    zoe, lea, zoe_again, hugo = out
    assert zoe.person == {"email": "zoe@exemple.fr", "country": "FR",
                          "notes": "Budget 1 500 €, “top”", "legal_name": "Zoé Lœvenbruck",
                          "display_name": "Zoé Lœvenbruck"}
    assert zoe.accounts[0]["followers"] == 9_500_000 and zoe.tags == ["beauté", "mode"]
    assert (lea.line, lea.accounts[0]["followers"], lea.person["notes"]) == (
        3, 12400, "Deux\r\nlignes")
    assert (zoe_again.line, zoe_again.same_as) == (6, 2)
    assert [(p.line, p.column, p.reason) for p in hugo] == [
        (7, "Abonnés", "not a number"), (7, "E-mail", "not an e-mail address"),
        (7, "Pays", "unknown country")]
