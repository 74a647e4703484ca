"""`shieldwall intel ...`: TAXII collections, STIX bundle import and export.

Exit codes: 0 done, 1 some objects were rejected on import, 2 bad input. Every command goes
through the door.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from shieldwall.core.cli import invoke as _call
from shieldwall.core.errors import InputError

MAX_BUNDLE_BYTES = 256 << 20

app = typer.Typer(
    help="Threat intelligence: STIX 2.1 collections served over TAXII 2.1 under TLP 2.0.",
    no_args_is_help=True,
)
collection_app = typer.Typer(help="TAXII collections.", no_args_is_help=True)
app.add_typer(collection_app, name="collection")

CollectionOpt = Annotated[
    str, typer.Option("--collection", help="The collection's title or id.", show_default=False)
]


@collection_app.command("create")
def collection_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The collection's title (unique).")],
    tlp: Annotated[
        str,
        typer.Option(
            "--tlp", help="Default TLP of unmarked objects: clear|green|amber|amber+strict|red."
        ),
    ] = "amber",
    description: Annotated[str, typer.Option(help="What the collection holds.")] = "",
    org: Annotated[str | None, typer.Option("--org", help="The owner organisation's id.")] = None,
) -> None:
    """Create a collection."""
    result = _call(
        ctx,
        "intel.collection.create",
        {"title": name, "tlp": tlp, "description": description, "owner_org": org},
    )
    typer.echo(
        f"Created collection {result['title']} ({result['id']}), TLP:{result['tlp'].upper()}"
    )


@app.command("import")
def import_bundle(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(metavar="BUNDLE.json", help="A STIX 2.1 bundle.")],
    collection: CollectionOpt,
) -> None:
    """Add a bundle's objects to a collection (valid ones are stored; the others are listed)."""
    try:
        with bundle.open("rb") as fh:
            data = fh.read(MAX_BUNDLE_BYTES + 1)
        if len(data) > MAX_BUNDLE_BYTES:
            raise InputError(f"{bundle} is too large", code="intel.too_large")
        doc = json.loads(data)
    except (OSError, ValueError, RecursionError) as exc:
        raise InputError(
            f"cannot read {bundle}: {exc}", code="input.unreadable", location=str(bundle)
        ) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("objects"), list):
        raise InputError(
            f"{bundle} is not a STIX bundle (no 'objects' list)",
            code="intel.bad_bundle",
            location=str(bundle),
        )
    result = _call(ctx, "intel.objects.add", {"collection": collection, "objects": doc["objects"]})
    typer.echo(f"{result['success_count']} of {result['total_count']} objects added.")
    for failure in result["failures"]:
        typer.echo(f"rejected {failure['id']}: {failure['message']}", err=True)
    if result["failure_count"]:
        raise typer.Exit(code=1)


@app.command("export")
def export_bundle(ctx: typer.Context, collection: CollectionOpt) -> None:
    """Print every object version of a collection as a STIX bundle."""
    result = _call(ctx, "intel.export", {"collection": collection})
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
