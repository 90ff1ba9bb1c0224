"""`flask bench-data`: fill an empty database with five years of a province, for benchmarks."""


import click
from flask import current_app
from flask.cli import with_appcontext

from app import clock
from app.benchdata.generator import BENCH_ACCOUNTS, BENCH_PASSWORD, BenchDataError, generate
from app.cli import run_setup


def register(app) -> None:
    app.cli.add_command(bench_data_command)


@click.command("bench-data")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="1 = SPEC §12's province (20,000 proposals, 60,000 assignments, ...); N multiplies every count.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed and --today, same rows.")
@click.option("--today", "today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the five years end (default: today in the province).")
@with_appcontext
def bench_data_command(scale, seed, today):
    """Set up the schema, then write benchmark data into an empty database (bulk inserts)."""
    run_setup(current_app.config["PROVINCE_CODE"])
    day = today.date() if today else clock.today()
    click.echo(f"bench-data: scale {scale:g}, seed {seed}, five years up to {day:%d/%m/%Y}")
    try:
        counts = generate(scale, seed, day, log=click.echo)
    except BenchDataError as error:
        raise click.ClickException(str(error)) from None
    seconds = counts.pop("seconds")
    for table, number in sorted(counts.items()):
        click.echo(f"  {table:<24} {number:>10,}")
    click.echo(f"Written in {seconds:.1f} s. Bench accounts (password {BENCH_PASSWORD}): " + ", ".join(BENCH_ACCOUNTS))
