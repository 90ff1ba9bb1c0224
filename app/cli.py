"""Command-line tools: flask setup, flask demo, flask db-state, flask users ..."""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import backup, policy, reference
from app.admin import services as accounts
from app.demo import DEMO_PASSWORD, demo_accounts, load_demo
from app.demo_mode import DEMO, EMPTY, REAL, database_state, mark_demo_database
from app.extensions import db
from app.models import LEADING_KIND, Unit, User


def register(app) -> None:
    app.cli.add_command(setup_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(db_state_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def quiet_upgrade() -> None:
    """Bring the schema up to date without Alembic's INFO lines (migrations/env.py reads quiet)."""
    upgrade(x_arg=["quiet=1"])


def run_setup(province_code: int) -> dict:
    """Migrate the schema and load reference data; returns what changed."""
    quiet_upgrade()
    communes = reference.load_communes(province_code)
    bodies = reference.load_provincial_bodies(province_code)
    db.session.flush()
    fields = reference.load_fields()
    admin_password = None
    if db.session.scalar(select(func.count()).select_from(User).where(User.username == "admin")) == 0:
        admin_unit = db.session.scalar(select(Unit).where(Unit.kind.not_in(("xa", "phuong", "dac_khu", LEADING_KIND))).order_by(Unit.sort_order))
        _, admin_password = accounts.create_user("admin", policy.ADMIN, admin_unit, full_name="Quản trị hệ thống")
    db.session.commit()
    return {"communes": communes, "bodies": bodies, "fields": fields, "admin_password": admin_password}


def _print_setup(result: dict, province_code: int) -> None:
    click.echo(f"Province {province_code} ({reference.province_name(province_code)}):")
    click.echo(f"  communes and wards: {result['communes']}")
    click.echo(f"  provincial bodies:  {result['bodies']}")
    click.echo(f"  fields:             {result['fields']}")
    if result["admin_password"]:
        click.echo(f"  admin account created: admin / {result['admin_password']} (shown once; change it at first login)")


DEMO_DATABASE_NOTE = (
    "This is a demo database (made by `flask demo`): its demo accounts share a published password. "
    "Never use it for real work; for the real site, create a new empty database and run `flask setup` on it."
)


@click.command("setup")
@click.option("--province", "province_code", type=int, default=None, help="Province code (default: PROVINCE_CODE).")
@with_appcontext
def setup_command(province_code):
    """Bring the schema up to date and load units, bodies and fields."""
    province_code = province_code or current_app.config["PROVINCE_CODE"]
    try:
        reference.province_name(province_code)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--province") from None
    _print_setup(run_setup(province_code), province_code)
    if database_state() == DEMO:
        click.echo(f"Warning: {DEMO_DATABASE_NOTE}", err=True)


@click.command("db-state")
@with_appcontext
def db_state_command():
    """Print what the configured database holds: empty, demo (made by flask demo) or real."""
    click.echo(database_state())


NO_FORCE = (
    "`flask demo --force` no longer exists: demo accounts, whose password is published, are never "
    "added to a database that holds anything else. Point DATABASE_URL at a new, empty database "
    "(for the default SQLite file: `make clean-db`) and run `flask demo` there."
)


@click.command("demo")
@click.option("--force", is_flag=True, hidden=True)  # gone; kept only to say so
@click.option("--yes", is_flag=True, help="Do not ask before making an empty server database (not SQLite) a demo database.")
@with_appcontext
def demo_command(force, yes):
    """Make an empty database a demo database: setup, demo accounts and content from the 24-9-2025 briefing.

    Refuses any database that is neither empty nor already a demo database; there is no --force.
    """
    if force:
        raise click.UsageError(NO_FORCE)
    state = database_state()
    if state == DEMO:
        quiet_upgrade()  # a mark left by an older `flask demo --force` is taken back by migration 0011
        state = database_state()
    if state == REAL:
        raise click.ClickException(
            "This database is not empty and was not made by `flask demo`: refusing to add demo accounts. "
            + NO_FORCE.split(": ", 1)[1]
        )
    url = db.engine.url
    if state == EMPTY and url.get_backend_name() != "sqlite" and not yes:
        click.confirm(
            f"{url.render_as_string(hide_password=True)} is empty. Make it a demo database, whose accounts "
            "share a published password? It can never become the site's real database.",
            abort=True,
        )
    province_code = current_app.config["PROVINCE_CODE"]
    if state == EMPTY:
        quiet_upgrade()
        mark_demo_database()
        db.session.commit()
    result = run_setup(province_code)
    _print_setup(result, province_code)
    load_demo()
    db.session.commit()
    made = demo_accounts()
    click.echo(f"Demo accounts: {len(made)}, password for all: {DEMO_PASSWORD}")
    for user in made:
        click.echo(f"  {user.username:<16} {user.role:<12} {user.unit.name}")
    click.echo(DEMO_DATABASE_NOTE)


users_cli = AppGroup("users", help="Manage accounts without the web UI.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(policy.ROLES), required=True)
@click.option("--unit", "unit_ref", required=True, help="Unit code or exact name.")
@click.option("--password", default=None, help="Password; a random one is printed when omitted.")
@click.option("--name", "full_name", default="", help="Full name.")
def users_create(username, role, unit_ref, password, full_name):
    """Create an account."""
    unit = accounts.find_unit(unit_ref)
    if unit is None:
        raise click.BadParameter(f"no unit with code or name {unit_ref!r}", param_hint="--unit")
    try:
        user, password_used = accounts.create_user(username, role, unit, password=password, full_name=full_name)
    except accounts.AdminError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role}, {unit.name})")
    if password is None:
        click.echo(f"Password: {password_used} (must be changed at first login)")


def _get_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == accounts.normalise_username(username)))
    if user is None:
        raise click.ClickException(f"No account named {username}")
    return user


@users_cli.command("disable")
@click.argument("username")
def users_disable(username):
    """Disable an account; it can no longer log in."""
    user = _get_user(username)
    try:
        accounts.set_active(user, False)
    except accounts.AdminError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Disabled {user.username}")


@users_cli.command("enable")
@click.argument("username")
def users_enable(username):
    """Enable a disabled account again."""
    user = _get_user(username)
    accounts.set_active(user, True)
    db.session.commit()
    click.echo(f"Enabled {user.username}")


@users_cli.command("reset-password")
@click.argument("username")
def users_reset_password(username):
    """Give an account a new random password, to be changed at next login."""
    user = _get_user(username)
    password = accounts.reset_password(user)
    db.session.commit()
    click.echo(f"New password for {user.username}: {password} (must be changed at next login)")


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(dest):
    """Copy the database and the uploads into a new folder under DEST (safe while running)."""
    try:
        target = backup.create_backup(dest, current_app.config["UPLOAD_FOLDER"])
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {target}")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(source, yes):
    """Replace the database and the uploads with a backup made by `flask backup`."""
    if not yes:
        click.confirm("This replaces the current database and uploads. Continue?", abort=True)
    try:
        manifest = backup.restore_backup(source, current_app.config["UPLOAD_FOLDER"])
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the backup of {manifest['created_at']} ({manifest['upload_files']} files)")
