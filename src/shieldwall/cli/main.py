"""The one `shieldwall` command. It composes each package's Typer group (its cli.py), and it is
the one place where errors become messages and exit codes:

    0 ok · 1 findings (e.g. a checkpoint that does not verify) · 2 usage or bad input · 3 internal
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console

from shieldwall import __version__
from shieldwall.ai.agent.cli import investigate
from shieldwall.core.errors import ExitCode, ShieldwallError
from shieldwall.core.ports import Door
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Principal
from shieldwall.detect.cli import app as detect_app
from shieldwall.gateway.cli import app as gateway_app
from shieldwall.intel.cli import app as intel_app
from shieldwall.ledger.cli import app as ledger_app
from shieldwall.protect.cli import app as protect_app
from shieldwall.runtime import Runtime, open_runtime
from shieldwall.vuln.cli import app as vuln_app

app = typer.Typer(
    name="shieldwall",
    help="Shieldwall: open, self-hostable, AI-assisted cyber defense.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(ledger_app, name="ledger")
app.add_typer(gateway_app, name="gateway")
app.add_typer(protect_app, name="protect")
app.add_typer(detect_app, name="detect")
app.add_typer(vuln_app, name="vuln")
app.add_typer(intel_app, name="intel")
app.command("investigate")(investigate)


class CliSession:
    """The local owner's session: the runtime opens on first use, so `--help` touches nothing."""

    def __init__(self, settings: Settings, *, key: str | None = None) -> None:
        self.settings = settings
        self._key = key
        self._principal: Principal | None = None if key else LOCAL_OWNER
        self._runtime: Runtime | None = None

    @property
    def principal(self) -> Principal:
        """The local owner, or, with --key, the principal that API key stands for."""
        if self._principal is None:
            self._principal = self.runtime.keys.authenticate(self._key or "")
        return self._principal

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            self._runtime = open_runtime(self.settings)
        return self._runtime

    @property
    def door(self) -> Door:
        return self.runtime.gateway

    def close(self) -> None:
        if self._runtime is not None:
            self._runtime.close()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shieldwall {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Data directory (default: $SHIELDWALL_HOME or ~/.local/share/shieldwall).",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            envvar="SHIELDWALL_KEY",
            help="Act as the principal of this API key instead of the local owner.",
        ),
    ] = None,
) -> None:
    settings = Settings() if home is None else Settings(home=home)
    session = CliSession(settings, key=key)
    ctx.obj = session
    ctx.call_on_close(session.close)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Run the HTTP API and web pages."""
    import uvicorn

    from shieldwall.api.app import create_app

    session: CliSession = ctx.obj
    runtime = session.runtime
    bind_host = host or runtime.settings.host
    bind_port = port if port is not None else runtime.settings.port
    Console(stderr=True).print(
        f"Shieldwall {__version__} serving on [bold]http://{bind_host}:{bind_port}/[/bold] "
        f"(data in {runtime.settings.home})"
    )
    uvicorn.run(create_app(runtime), host=bind_host, port=bind_port, log_level="warning")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the command, print errors in the user's terms, exit with our codes."""
    command = typer.main.get_command(app)
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # never wrap a path or a hint
    try:
        code = command.main(
            args=list(argv) if argv is not None else None,
            prog_name="shieldwall",
            standalone_mode=False,
        )
    except ShieldwallError as exc:
        err.print(exc.diagnostics(), markup=False)
        sys.exit(int(exc.exit_code))
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(int(ExitCode.USAGE))
    except click.ClickException as exc:
        exc.show()
        sys.exit(int(ExitCode.USAGE))
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        err.print(
            f"internal error: {exc!r}\nPlease report this with the command you ran.", markup=False
        )
        sys.exit(int(ExitCode.INTERNAL))
    sys.exit(code if isinstance(code, int) else 0)
