"""`flask campaigns report CAMPAIGN_ID [--json]`: the report of the small campaign (see
conftest.py) as one JSON object or a short summary; non-zero with a one-line reason for an
unknown campaign or an id that is not a number."""

from __future__ import annotations

import json

import pytest


def test_cli_report_json(runner, small):
    result = runner.invoke(args=["campaigns", "report", str(small.campaign.id), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"campaign", "kpis", "budget", "targets", "platforms", "participants"}
    assert data["kpis"]["engagements"] == 1610 and data["kpis"]["missing_rates"] == ["tiktok"]
    # One cost, named: the KPIs' cost is the budget's, and the breakdowns add up to it.
    assert data["kpis"]["cost"] == data["budget"]["cost"] == 500.0
    assert data["budget"]["committed"] == 500.0 and data["budget"]["spent"] == 0.0
    assert sum(p["cost"] or 0 for p in data["participants"]) == 500.0
    assert sum(p["cost"] for p in data["platforms"].values()) == 500.0


def test_cli_report_summary(runner, small):
    result = runner.invoke(args=["campaigns", "report", str(small.campaign.id)])
    assert result.exit_code == 0, result.output
    assert "Printemps vélo" in result.output and "reach 25,000" in result.output
    assert "Target cpm ≤ €10.00: NOT met" in result.output
    assert ("committed (agreed fees) €500.00, spent (paid) €0.00, cost used by the KPIs "
            "€500.00") in result.output
    assert "No CPM set for tiktok" in result.output


@pytest.mark.parametrize("argument", ["999999", "0", "99999999999999999999"])
def test_cli_unknown_campaign_fails_with_one_line(runner, db, argument):
    result = runner.invoke(args=["campaigns", "report", argument, "--json"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: no campaign")


def test_cli_refuses_a_non_number(runner, db):
    result = runner.invoke(args=["campaigns", "report", "abc"])
    assert result.exit_code != 0 and "abc" in result.output
