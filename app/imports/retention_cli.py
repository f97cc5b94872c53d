"""`flask imports purge-files`: delete the import files and rejected rows older than the
retention period an admin set (app/imports/retention.py), e.g. from a daily cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

imports_cli = AppGroup("imports", help="Influencer imports: their stored files.")


@imports_cli.command("purge-files")
def purge_files_command() -> None:
    """Delete import files and rejected rows kept longer than the retention period."""
    from app.imports import retention

    cleaned = retention.purge_files()
    click.echo(f"Cleaned {cleaned} import(s) older than {retention.import_file_days()} days.")
