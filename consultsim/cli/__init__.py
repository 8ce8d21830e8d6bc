"""The `consultsim` command line: one Typer app, one module per command group."""

from __future__ import annotations

import os
import sys

import typer

from consultsim._version import __version__
from consultsim.cli import case, kg, run, sweep
from consultsim.cli._common import EXIT_BAD_INPUT, EXIT_FAILURE, problem
from consultsim.errors import UserError
from consultsim.scenarios.errors import CaseError

try:  # Typer 0.2x vendors Click; older releases depend on it.
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click import exceptions as click_errors  # type: ignore[no-redef]

app = typer.Typer(
    name="consultsim",
    help="Multi-agent clinical consultation simulator: a doctor, a grounded simulated patient, an "
    "examiner, specialists and an HPO knowledge graph, scored for proactive questioning and "
    "diagnostic accuracy. Works offline by default.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"consultsim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Multi-agent clinical consultation simulator."""


app.add_typer(case.app, name="case")
app.add_typer(kg.app, name="kg")
run.register(app)
sweep.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: a user's mistake is one line on stderr and exit status 2, never a traceback."""
    try:
        code = app(args=argv, prog_name="consultsim", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as err:
        del err  # Typer has already printed the help while building the error.
        code = 0
    except click_errors.ClickException as err:
        hint = f" (see `{err.ctx.command_path} --help`)" if getattr(err, "ctx", None) else ""
        problem(f"consultsim: {err.format_message()}{hint}")
        code = err.exit_code
    except typer.Abort:
        problem("consultsim: aborted")
        code = EXIT_FAILURE
    except CaseError as err:
        for item in err.problems:
            problem(str(item))
        code = EXIT_BAD_INPUT
    except UserError as err:
        problem(f"consultsim: {err}")
        code = EXIT_BAD_INPUT
    except KeyboardInterrupt:
        problem("consultsim: interrupted")
        code = 130
    except Exception as err:  # noqa: BLE001 - the last guard before a user sees a traceback
        if os.environ.get("CONSULTSIM_DEBUG"):
            raise
        problem(f"consultsim: internal error: {type(err).__name__}: {err} (set CONSULTSIM_DEBUG=1 for details)")
        code = EXIT_FAILURE
    return int(code or 0)


def entry() -> None:
    sys.exit(main())
