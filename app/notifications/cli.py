"""flask mail send-pending (every few minutes, optional)."""

import click
from flask.cli import AppGroup

from app.notifications.mail import SendReport, mail_enabled, send_pending


def register(app) -> None:
    app.cli.add_command(mail_cli)


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
