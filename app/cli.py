"""`flask --app wsgi …` commands. Each exits 0 on success, non-zero with a one-line reason."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale

from app.core.errors import ServiceError

users_cli = AppGroup("users", help="Team members.")
demo_cli = AppGroup("demo", help="Demonstration data.")
influencers_cli = AppGroup("influencers", help="Influencer lists: export (and import).")


def in_english(command):
    """Commands run outside any request, so no browser language exists: messages from the
    services are rendered in English instead of failing on the locale lookup."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        with force_locale("en"):
            return command(*args, **kwargs)

    return wrapped


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["viewer", "member", "manager", "admin"]),
              default="member", show_default=True)
@click.option("--name", default="", help="Display name (defaults to the email).")
@click.option("--locale", type=click.Choice(["fr", "en"]), default=None)
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of prompting.")
@in_english
def create_user_command(email: str, role: str, name: str, locale: str | None,
                        password_stdin: bool) -> None:
    """Create a user. The password is prompted for (twice), or read from stdin."""
    from app.auth import users

    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(email, name or email, password, role=role, locale=locale)
    except ServiceError as error:
        fail(str(error))
    click.echo(f"Created {user.role} {user.email}")


@users_cli.command("reset-password")
@click.argument("email")
@in_english
def reset_password_command(email: str) -> None:
    """Print a single-use link for EMAIL to choose a new password. It starts with
    RELAIS_BASE_URL, or http://localhost:5000 when that is unset."""
    from app.auth import password_reset

    try:
        link = password_reset.issue_for_cli(email)
    except ServiceError as error:
        fail(str(error))
    click.echo(link.url)
    click.echo(f"Valid once, until {link.expires_at:%Y-%m-%d %H:%M} UTC.", err=True)


@demo_cli.command("seed")
@click.option("--influencers", "count", type=click.IntRange(1, 2_000_000), default=300,
              show_default=True, help="How many influencers to generate.")
@click.option("--seed", type=int, default=2026, show_default=True,
              help="Random seed: the same seed gives the same data.")
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the database already has users (used by `make run`).")
@in_english
def seed_command(count: int, seed: int, if_empty: bool) -> None:
    """Fill the database with a realistic French demo (brands, influencers, audiences…)."""
    from app.demo import seed as demo

    if if_empty and not demo.is_empty():
        click.echo("The database already has data; demo not seeded.")
        return
    try:
        report = demo.seed(count, seed=seed, score=True)
    except ServiceError as error:
        fail(str(error))
    click.echo(
        f"Seeded {report['influencers']} influencers, {report['accounts']} accounts, "
        f"{report['brands']} brands, {report['relationships']} relationships, "
        f"{report.get('campaigns', 0)} campaigns, {report.get('contracts', 0)} contracts in "
        f"{report['seconds']:.1f} s"
    )
    if report.get("scoring_run"):
        click.echo(f"Scored them all: scoring run {report['scoring_run']}.")
    else:
        click.echo("Not scored: a scoring run is already under way.")
    if report.get("admin_password"):
        click.echo(f"Admin login: {report['admin_email']} / {report['admin_password']}")
        click.echo("This password is shown once; change it from your profile page.")


@influencers_cli.command("export")
@click.argument("file")
@click.option("--delimiter", type=click.Choice([",", ";", "tab"]), default=",",
              show_default=True, help="Use ';' for Excel in French.")
@click.option("--per-account", is_flag=True, help="In an .xlsx FILE, one row per account.")
@in_english
def export_influencers_command(file: str, delimiter: str, per_account: bool) -> None:
    """Write every influencer to FILE as CSV (UTF-8 with BOM), one row per social account;
    a FILE named .xlsx gets the "Export for Excel (French)" workbook instead."""
    import os
    import shutil

    from app.influencers import export as exports

    if os.path.isdir(file):
        fail(f"{file} is a directory; give a file name.")
    if file.lower().endswith(".xlsx"):
        from app.influencers import export_excel

        path, rows = export_excel.build({}, None, per_account=per_account)
        try:
            shutil.move(path, file)
        except OSError as error:
            if os.path.exists(path):
                os.unlink(path)
            fail(f"cannot write {file}: {error.strerror or error}")
        click.echo(f"Exported {rows} rows to {file} (Excel, French)")
        return
    try:
        with open(file, "w", encoding="utf-8", newline="") as out:
            count = exports.write(out, delimiter=delimiter)
    except OSError as error:
        fail(f"cannot write {file}: {error.strerror or error}")
    click.echo(f"Exported {count.rows} rows ({count.influencers} influencers) to {file}")


def _import_user(email: str | None):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User

    query = select(User).where(User.active.is_(True))
    if email:
        user = db.session.scalar(query.where(User.email == email.strip().lower()))
        if user is None:
            fail(f"no active user with the email {email}.")
        return user
    user = db.session.scalar(query.where(User.role == "admin").order_by(User.id))
    if user is None:
        fail("no active admin to import as; use --as EMAIL.")
    return user


@influencers_cli.command("import")
@click.argument("file")
@click.option("--mode", type=click.Choice(["create", "update", "upsert"]), default="upsert",
              show_default=True)
@click.option("--dry-run", is_flag=True, help="Count and check only; write nothing.")
@click.option("--encoding", default=None, help="e.g. cp1252, utf-8 (detected otherwise).")
@click.option("--delimiter", default=None, help="; , | or tab (detected otherwise).")
@click.option("--sheet", default=None, help="A spreadsheet's sheet, by name or number "
              "(the first one holding something otherwise).")
@click.option("--as", "as_email", default=None, help="Import as this user (email).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@in_english
def import_influencers_command(file: str, mode: str, dry_run: bool, encoding: str | None,
                               delimiter: str | None, sheet: str | None, as_email: str | None,
                               as_json: bool) -> None:
    """Import influencers from a CSV or spreadsheet (.xlsx, .xls, .ods) FILE (exit 0 when it
    was read, even with rejected rows)."""
    import os

    from app.imports import service as imports

    user = _import_user(as_email)
    try:
        imp = imports.create_import(file, os.path.basename(file), user, mode=mode,
                                    encoding=encoding, delimiter=delimiter, sheet=sheet)
        report = imports.run(imp, dry_run=dry_run)
    except ServiceError as error:
        fail(str(error))
    verb = "Would import" if dry_run else "Imported"
    _print_report(report, as_json, (
        f"{verb} {file} (import #{imp.id}, {mode}): {report['created']} created, "
        f"{report['updated']} updated, {report['unchanged']} unchanged, "
        f"{report['rejected']} rejected"))


def _print_report(report: dict, as_json: bool, summary: str) -> None:
    """One JSON object (--json), or a summary line and the first rejected rows."""
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(summary)
    for problem in report["rejected_rows"][:20]:
        click.echo(f"  line {problem['line']} {problem['column']!r} {problem['value']!r}: "
                   f"{problem['reason']}")


network_cli = AppGroup("network", help="The influence network: who relays whom.")


_ONE_FILE_OPTIONS = (
    click.option("--dry-run", is_flag=True, help="Count and check only; write nothing."),
    click.option("--encoding", default=None, help="e.g. cp1252, utf-8 (detected otherwise)."),
    click.option("--delimiter", default=None, help="; , | or tab (detected otherwise)."),
    click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
)


def one_file_options(command):
    """--dry-run, --encoding, --delimiter and --json: the options of a one-file import."""
    for option in reversed(_ONE_FILE_OPTIONS):
        command = option(command)
    return command


def _read_file_or_fail(file: str, importer: Callable[..., dict], **options) -> dict:
    """`importer(file, **options)`'s report; exits 1 with the reason when FILE is not a
    readable file or the import refuses it. A spreadsheet's first sheet holding something
    is read as CSV."""
    import os

    from app.imports import workbooks

    if not os.path.isfile(file):
        fail(f"{file} is not a readable file.")
    encoding, delimiter = options.pop("encoding"), options.pop("delimiter")
    try:
        with workbooks.as_csv(file, encoding, delimiter, os.path.basename(file)) as (
                path, encoding, delimiter):
            return importer(path, encoding=encoding, delimiter=delimiter,
                            filename=os.path.basename(file), **options)
    except ServiceError as error:
        fail(str(error))


@network_cli.command("import")
@click.argument("file")
@one_file_options
@in_english
def import_network_command(file: str, dry_run: bool, encoding: str | None,
                           delimiter: str | None, as_json: bool) -> None:
    """Import relationships from a CSV FILE: source, target (handles, profile addresses or
    emails), kind, weight. Unknown people are reported, never created."""
    from app.network import relationship_import as network_import

    report = _read_file_or_fail(file, network_import.import_relationships,
                                encoding=encoding, delimiter=delimiter, dry_run=dry_run)
    verb = "Would add" if dry_run else "Added"
    _print_report(report, as_json, (
        f"{verb} {report['created']} relationships from {file}: "
        f"{report['unchanged']} already known, {report['rejected']} rejected"))


@network_cli.command("score")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@in_english
def score_network_command(as_json: bool) -> None:
    """Rescore every influencer (network figures, reach, engagement, credibility) and
    store the run; prints its sizes, duration and the top 10."""
    from app.scoring import rescoring as scoring

    try:
        run = scoring.rescore()
    except ServiceError as error:
        fail(str(error))
    except Exception as error:  # the run is stored as failed with the full reason
        fail(f"scoring failed: {type(error).__name__}: {error}".splitlines()[0])
    top = scoring.top(run)
    if as_json:
        click.echo(json.dumps({"run_id": run.id, "nodes": run.nodes, "edges": run.edges,
                               "seconds": run.seconds, "top": top}, ensure_ascii=False))
        return
    click.echo(f"Scored {run.nodes} influencers over {run.edges} edges in {run.seconds:.2f} s "
               f"(run {run.id}).")
    for rank, row in enumerate(top, start=1):
        click.echo(f"{rank:3d}. {row['name']} — {row['score']:.1f} "
                   f"(core {row['core']}, {row['community']})")


campaigns_cli = AppGroup("campaigns", help="Campaigns: metrics and reports.")


@campaigns_cli.command("import-metrics")
@click.argument("campaign_id", type=int)
@click.argument("file")
@one_file_options
@in_english
def import_metrics_command(campaign_id: int, file: str, dry_run: bool, encoding: str | None,
                           delimiter: str | None, as_json: bool) -> None:
    """Import operation metrics of campaign CAMPAIGN_ID from a CSV FILE (operation_id, or
    handle and date; impressions, reach, likes…). Exit 0 when the file was read, even with
    rejected rows."""
    from app.campaigns.operations import metrics_import as campaign_metrics

    report = _read_file_or_fail(
        file, functools.partial(campaign_metrics.import_metrics, campaign_id),
        encoding=encoding, delimiter=delimiter, dry_run=dry_run)
    verb = "Would import" if dry_run else "Imported"
    _print_report(report, as_json, (
        f"{verb} metrics of campaign {campaign_id} from {file}: {report['created']} measured "
        f"for the first time, {report['updated']} updated, {report['unchanged']} unchanged, "
        f"{report['rejected']} rejected"))


@campaigns_cli.command("report")
@click.argument("campaign_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@in_english
def campaign_report_command(campaign_id: int, as_json: bool) -> None:
    """Print the KPIs of campaign CAMPAIGN_ID: totals, budget, targets met or not, per
    platform (money in the campaign's currency, rates as shares in JSON)."""
    from app.campaigns.report import service as campaign_report
    from app.campaigns.report import summary as report_summary
    from app.core.errors import NotFound

    try:
        report = campaign_report.campaign_report(campaign_id)
    except NotFound:
        fail(f"no campaign with the id {campaign_id} (or it is in the trash).")
    if as_json:
        click.echo(json.dumps(report_summary.as_json(report), ensure_ascii=False))
        return
    for line in report_summary.summary_lines(report):
        click.echo(line)


contracts_cli = AppGroup("contracts", help="Ambassador contracts: PDFs.")


@contracts_cli.command("render")
@click.argument("contract_id", type=int)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The PDF file to write.")
@in_english
def render_contract_command(contract_id: int, output: str) -> None:
    """Write contract CONTRACT_ID as a PDF: its latest stored document (the signed one when
    there is one) byte for byte, or, for a contract never rendered, its current terms."""
    import hashlib
    from pathlib import Path

    from app.contracts.rendering import render_pdf
    from app.contracts.terms import get_contract
    from app.contracts.workflow import current_document
    from app.core.errors import NotFound

    try:
        contract = get_contract(contract_id)
    except NotFound:
        fail(f"no contract with the id {contract_id} (or it is in the trash).")
    document = next(filter(None, (current_document(contract, kind)
                                  for kind in ("signed", "contract", "draft"))), None)
    if document is not None:
        pdf, what = document.content, f"stored version {document.version} ({document.kind})"
    else:
        pdf, what = render_pdf(contract).pdf, "current terms (not stored)"
    try:
        Path(output).write_bytes(pdf)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}.")
    click.echo(f"Wrote {contract.number}, {what}, to {output}: {len(pdf)} bytes, "
               f"SHA-256 {hashlib.sha256(pdf).hexdigest()}.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    from app.core.backup_cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(influencers_cli)
    app.cli.add_command(network_cli)
    app.cli.add_command(campaigns_cli)
    app.cli.add_command(contracts_cli)
    from app.imports.retention_cli import imports_cli

    app.cli.add_command(imports_cli)
