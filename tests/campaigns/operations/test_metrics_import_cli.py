"""`flask campaigns …` commands. Metrics import: `import-metrics CAMPAIGN_ID FILE` prints the
report (one JSON object with --json, a summary line otherwise), exits 0 when the file was
read (even with rejected rows) and non-zero with a one-line reason otherwise."""

from __future__ import annotations

import json

import pytest


def invoke(runner, *args: str):
    return runner.invoke(args=["campaigns", "import-metrics", *args])


def test_json_report(runner, s, measured, metrics_file):
    path = metrics_file(f"operation_id;portée;j'aime\n{s.insta};12 400;830\n{s.hugo};-1;2\n")
    result = invoke(runner, str(s.campaign_id), path, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1,
                      "rejected_rows": [{"line": 3, "column": "portée", "value": "-1",
                                         "reason": "negative"}]}
    assert measured(s.insta) == {"reach": 12_400, "likes": 830}


def test_summary_line_and_rejected_rows(runner, s, metrics_file):
    path = metrics_file(f"operation_id,likes\n{s.insta},5\n{s.elsewhere},1\n")
    result = invoke(runner, str(s.campaign_id), path)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (f"Imported metrics of campaign {s.campaign_id} from {path}: 1 measured "
                        "for the first time, 0 updated, 0 unchanged, 1 rejected")
    assert lines[1] == (f"  line 3 'operation_id' '{s.elsewhere}': there is no operation "
                        f"{s.elsewhere} in this campaign")


def test_dry_run_writes_nothing(runner, s, audit_count, metrics_file, snapshot):
    before, events = snapshot(), audit_count()
    path = metrics_file(f"operation_id;likes\n{s.insta};5\n")
    result = invoke(runner, str(s.campaign_id), path, "--dry-run", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["created"] == 1
    assert snapshot() == before and audit_count() == events
    result = invoke(runner, str(s.campaign_id), path, "--dry-run")
    assert result.output.startswith("Would import metrics")


def test_encoding_and_delimiter_options(runner, s, measured, metrics_file):
    path = metrics_file(f"operation_id|portée\n{s.insta}|7\n", "cp1252")
    result = invoke(runner, str(s.campaign_id), path, "--encoding", "cp1252",
                    "--delimiter", "pipe", "--json")
    assert result.exit_code == 0 and measured(s.insta) == {"reach": 7}
    result = invoke(runner, str(s.campaign_id), path, "--encoding", "klingon")
    assert result.exit_code == 1 and "Unknown encoding" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (("987654", "{path}"), "This campaign does not exist."),
    (("{campaign}", "{missing}"), "is not a readable file."),
    (("{campaign}", "{folder}"), "is not a readable file."),
    (("{campaign}", "{binary}"), "not a text file"),
    (("{campaign}", "{names}"), "no metric column"),
])
def test_failures_exit_non_zero_with_one_line(runner, s, tmp_path, args, message, metrics_file,
                                              snapshot):
    paths = {
        "campaign": str(s.campaign_id),
        "path": metrics_file(f"operation_id;likes\n{s.insta};1\n"),
        "missing": str(tmp_path / "nope.csv"),
        "folder": str(tmp_path),
        "binary": metrics_file(b"\x00\x01\x89PNG\r\n" * 40, name="image.csv"),
        "names": metrics_file("name;notes\nLea;x\n", name="names.csv"),
    }
    before = snapshot()
    result = invoke(runner, *(a.format(**paths) for a in args), "--json")
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: ")
    assert snapshot() == before


def test_campaign_id_must_be_a_number(runner, s, metrics_file):
    result = invoke(runner, "printemps", metrics_file("operation_id;likes\n1;1\n"))
    assert result.exit_code == 2 and "not a valid integer" in result.output


def test_help(runner, db):
    result = runner.invoke(args=["campaigns", "import-metrics", "--help"])
    assert result.exit_code == 0
    for option in ("--dry-run", "--encoding", "--delimiter", "--json"):
        assert option in result.output
