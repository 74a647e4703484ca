"""`shieldwall intel ...`: TAXII collections and their addressing, sharing groups, STIX bundle
import and export, search, sightings, ATT&CK reference collections, peer sync.

Exit codes: 0 done, 1 some objects were rejected on import, 2 bad input. Every command goes
through the door.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from shieldwall.core.cli import invoke as _call
from shieldwall.core.errors import InputError, ShieldwallError
from shieldwall.intel.attack import read_bundle, upgrade

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


@collection_app.command("address")
def collection_address(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The collection's title or id.")],
    org: Annotated[str | None, typer.Option("--org", help="An organisation (TLP:AMBER).")] = None,
    group: Annotated[
        str | None, typer.Option("--group", help="A sharing group (TLP:AMBER).")
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="A principal id, e.g. user:u1 (TLP:RED).")
    ] = None,
    write: Annotated[bool, typer.Option("--write", help="Let them add objects too.")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Stop addressing them.")] = False,
) -> None:
    """Address a collection to an organisation, a sharing group or a person."""
    given = [(k, v) for k, v in (("org", org), ("group", group), ("person", person)) if v]
    if len(given) != 1:
        raise InputError("name exactly one of --org, --group, --person", code="intel.bad_share")
    kind, target = given[0]
    result = _call(
        ctx,
        "intel.collection.address",
        {"collection": name, "kind": kind, "target": target, "can_write": write, "remove": remove},
    )
    typer.echo(
        f"{name}: AMBER to {', '.join(result['orgs']) or 'its organisation only'}; "
        f"RED to {', '.join(result['people']) or 'nobody named'}"
    )


group_app = typer.Typer(help="Sharing groups of organisations.", no_args_is_help=True)
app.add_typer(group_app, name="group")


@group_app.command("create")
def group_create(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The group's name (unique).")]
) -> None:
    """Create a sharing group owned by your organisation."""
    result = _call(ctx, "intel.group.create", {"name": name})
    typer.echo(f"Created group {result['name']} ({result['id']})")


@group_app.command("add")
def group_add(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(help="The group's name or id.")],
    org: Annotated[str, typer.Argument(help="The organisation's id.")],
    write: Annotated[bool, typer.Option("--write", help="May add to shared collections.")] = False,
) -> None:
    """Add an organisation to a group (or change its rights)."""
    result = _call(ctx, "intel.group.member", {"group": group, "org": org, "can_write": write})
    typer.echo(f"{result['name']}: {', '.join(m['org'] for m in result['members'])}")


@group_app.command("remove")
def group_remove(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(help="The group's name or id.")],
    org: Annotated[str, typer.Argument(help="The organisation's id.")],
) -> None:
    """Remove an organisation from a group."""
    result = _call(ctx, "intel.group.member", {"group": group, "org": org, "remove": True})
    typer.echo(f"{result['name']}: {', '.join(m['org'] for m in result['members'])}")


@group_app.command("list")
def group_list(ctx: typer.Context) -> None:
    """The groups your organisation is in."""
    for g in _call(ctx, "intel.groups", {})["groups"]:
        members = ", ".join(
            f"{m['org']}{' (write)' if m['can_write'] else ''}" for m in g["members"]
        )
        typer.echo(f"{g['name']}\t{g['id']}\t{members}")


@app.command("delete")
def delete_object(
    ctx: typer.Context,
    object_id: Annotated[str, typer.Argument(help="The STIX id.")],
    collection: CollectionOpt,
    version: Annotated[
        str | None, typer.Option("--version", help="first, last, all or a timestamp")
    ] = None,
) -> None:
    """Delete an object's versions (all by default) from a collection you write."""
    payload = {"collection": collection, "object_id": object_id, "match_version": version}
    result = _call(ctx, "intel.object.delete", payload)
    typer.echo(f"{result['deleted']} version(s) deleted.")


@app.command("search")
def search(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="An IP, domain, hash, URL, ATT&CK or CVE id.")],
) -> None:
    """Objects you may read that carry this value or id (one JSON object a line)."""
    for hit in _call(ctx, "intel.search", {"term": term})["results"]:
        typer.echo(json.dumps(hit, ensure_ascii=False))


sighting_app = typer.Typer(help="Sightings of shared indicators.", no_args_is_help=True)
app.add_typer(sighting_app, name="sighting")


@sighting_app.command("record")
def sighting_record(
    ctx: typer.Context,
    indicator: Annotated[str, typer.Argument(help="The indicator's STIX id.")],
    first_seen: Annotated[str, typer.Option("--first-seen", help="RFC 3339, ...Z")],
    last_seen: Annotated[str, typer.Option("--last-seen", help="RFC 3339, ...Z")],
    count: Annotated[int, typer.Option("--count", min=1)] = 1,
    sighting_id: Annotated[
        str | None, typer.Option("--id", help="sighting--<uuid>, to record idempotently")
    ] = None,
) -> None:
    """Record that you saw an indicator (in your logs, a detection)."""
    result = _call(
        ctx,
        "intel.sighting.record",
        {
            "indicator": indicator,
            "count": count,
            "first_seen": first_seen,
            "last_seen": last_seen,
            "sighting_id": sighting_id,
        },
    )
    typer.echo(json.dumps(result, indent=2))


@sighting_app.command("count")
def sighting_count(
    ctx: typer.Context,
    indicator: Annotated[str, typer.Argument(help="The indicator's STIX id.")],
) -> None:
    """How often an indicator was sighted (over the sightings you may read)."""
    result = _call(ctx, "intel.sightings", {"indicator": indicator})
    typer.echo(f"{result['indicator']}: {result['count']} in {result['sightings']} sighting(s)")


attack_app = typer.Typer(help="MITRE ATT&CK reference collections.", no_args_is_help=True)
app.add_typer(attack_app, name="attack")


@attack_app.command("import")
def attack_import(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="An ATT&CK STIX bundle (.json or .zip).")],
    collection: Annotated[
        str | None, typer.Option("--collection", help="Default: the bundle's file name.")
    ] = None,
) -> None:
    """Import ATT&CK (STIX 2.0 or 2.1) as a read-only TLP:CLEAR reference collection."""
    objects = [upgrade(o) for o in read_bundle(bundle)]
    title = collection or bundle.name.removesuffix(".zip").removesuffix(".json")
    try:
        _call(ctx, "intel.collection", {"collection": title})
    except ShieldwallError:
        _call(
            ctx,
            "intel.collection.create",
            {"title": title, "tlp": "clear", "description": f"Reference: {bundle.name}"},
        )
    added = rejected = 0
    for start in range(0, len(objects), 5000):
        chunk = objects[start : start + 5000]
        result = _call(ctx, "intel.objects.add", {"collection": title, "objects": chunk})
        added += result["success_count"]
        rejected += result["failure_count"]
        for failure in result["failures"][:5]:
            typer.echo(f"rejected {failure['id']}: {failure['message']}", err=True)
    typer.echo(f"{added} of {len(objects)} objects in {title}; {rejected} rejected.")


@attack_app.command("resolve")
def attack_resolve(
    ctx: typer.Context,
    tags: Annotated[list[str], typer.Argument(help="Tags such as attack.t1055 attack.stealth")],
) -> None:
    """Resolve ATT&CK tags to the imported techniques, tactics, groups and software."""
    for row in _call(ctx, "intel.attack.resolve", {"tags": tags})["tags"]:
        found = row["resolved"]
        alias = f" (alias of {row['alias_of']})" if row["alias_of"] else ""
        where = f"{found['name']} {found['id']}" if found else "not found"
        typer.echo(f"{row['tag']}{alias}\t{where}")


@app.command("sync")
def sync(
    ctx: typer.Context,
    url: Annotated[str, typer.Option("--from", help="The peer's TAXII API root URL.")],
    remote: Annotated[str, typer.Option("--collection", help="The peer's collection id.")],
    into: Annotated[str, typer.Option("--into", help="The local collection (title or id).")],
    token_env: Annotated[
        str, typer.Option("--token-env", help="The variable holding the peer's API key.")
    ] = "SHIELDWALL_PEER_TOKEN",  # noqa: S107 - a variable's name, not a secret
) -> None:
    """Pull a collection from a peer TAXII 2.1 server (incremental and idempotent)."""
    token = os.environ.get(token_env) or None
    result = _call(
        ctx,
        "intel.sync",
        {"url": url, "remote_collection": remote, "into": into, "token": token},
    )
    typer.echo(
        f"{result['received']} received in {result['pages']} page(s), "
        f"{result['stored_new']} new, {result['rejected']} rejected"
    )
