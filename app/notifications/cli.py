"""flask remind (daily, with the housekeeping of app.housekeeping), flask prune (that housekeeping
alone) and flask mail send-pending (every few minutes, optional)."""

import click
from flask.cli import AppGroup, with_appcontext

from app import clock, housekeeping
from app.notifications.mail import SendReport, mail_enabled, send_digests, send_pending
from app.notifications.reminders import create_reminders


def register(app) -> None:
    app.cli.add_command(remind_command)
    app.cli.add_command(prune_command)
    app.cli.add_command(mail_cli)


@click.command("remind")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]), default=None,
              help="Run as if today were this date (default: today in the province's time zone).")
@with_appcontext
def remind_command(on):
    """Create deadline reminders, send daily digests and pending e-mails, then remove what the site
    keeps only for a while (app.housekeeping); safe to run twice."""
    today = on.date() if on else clock.today()
    result = create_reminders(today)
    click.echo(f"Reminders for {today:%d/%m/%Y}: {result.created} notification(s) created")
    if mail_enabled():
        _echo_report("Daily digests", send_digests())
        _echo_report("E-mails", send_pending())
    else:
        click.echo("E-mail: off (MAIL_SERVER is not set)")
    click.echo(f"Housekeeping: {housekeeping.prune()}")
    if result.failed_sources:
        raise click.ClickException("reminder sources failed (see the log): " + ", ".join(result.failed_sources))


@click.command("prune")
@with_appcontext
def prune_command():
    """Remove old form keys, old webhook delivery records and abandoned uploads (also part of remind)."""
    click.echo(f"Housekeeping: {housekeeping.prune()}")


mail_cli = AppGroup("mail", help="Notification e-mail.")


@mail_cli.command("send-pending")
def send_pending_command():
    """Send the e-mails waiting to go (and retry failed ones whose time has come)."""
    if not mail_enabled():
        click.echo("E-mail: off (MAIL_SERVER is not set)")
        return
    _echo_report("E-mails", send_pending())


def _echo_report(label: str, report: SendReport) -> None:
    line = f"{label}: {report.sent} sent, {report.failed} to retry, {report.given_up} given up, {report.skipped} skipped"
    if report.digests:
        line += f" ({report.digests} digest e-mail(s))"
    click.echo(line)
    for error in sorted(set(report.errors)):
        click.echo(f"  error: {error}", err=True)
