"""`flask backup FILE` and `flask restore FILE`: a whole backup (database, instance files,
manifest; app/core/archive.py) and its restore into an empty database and folder."""

from __future__ import annotations

import click
from flask_babel import force_locale

from app.core.errors import ServiceError


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--database-only", is_flag=True,
              help="Write only the database copy (SQLite file or pg_dump), as before.")
def backup_command(file: str, database_only: bool) -> None:
    """Write a whole backup to FILE (.tar.gz): the database (SQLite backup API, or pg_dump
    for PostgreSQL), the instance files (imports) and a manifest; `flask restore` reads it."""
    from app.core import archive, backup

    try:
        with force_locale("en"):  # no request, so no browser language
            if database_only:
                backup.backup_to(file)
                click.echo(f"Backup written to {file}")
                return
            manifest = archive.write(file)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {file} (database and {len(manifest['files'])} files)")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: str, yes: bool) -> None:
    """Restore a `flask backup` FILE into an empty database and instance folder."""
    from app.core import archive

    if not yes:
        click.confirm(f"Restore {file} into this empty database and instance folder?",
                      abort=True)
    try:
        with force_locale("en"):
            manifest = archive.restore(file)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {file} (backup of {manifest['created_at']}, "
               f"{len(manifest['files'])} files)")
