"""`shieldwall intel ...`: TAXII collections and their addressing, sharing groups, STIX bundle
import and export, search, sightings, ATT&CK reference collections, peer sync.

Exit codes: 0 done, 1 some objects were rejected on import, 2 bad input. Every command goes
through the door.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shieldwall.core.cli import invoke as _call
from shieldwall.core.errors import InputError, ShieldwallError
from shieldwall.intel.attack import read_bundle, upgrade
from shieldwall.intel.extract import MAX_REPORT_BYTES, print_text

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
def export_bundle(
    ctx: typer.Context,
    collection: CollectionOpt,
    sanitize: Annotated[
        bool,
        typer.Option(
            "--sanitize",
            help="Apply the owner organisation's sanitize policy (the changes go to stderr).",
        ),
    ] = False,
) -> None:
    """Print every object version of a collection as a STIX bundle."""
    result = _call(ctx, "intel.export", {"collection": collection, "sanitize": sanitize})
    report = result.pop("x_shieldwall_sanitize", None)
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    if report is not None:
        typer.echo(
            f"sanitized: {report['leaving']} objects, {report['withheld']} withheld, "
            f"{report['changed']} changed ({report['changes']} changes; "
            "`shieldwall intel sanitize preview` lists them)",
            err=True,
        )


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


def _peer_auth(user: str | None, password_env: str, token_env: str) -> dict[str, str | None]:
    if user is not None:
        password = os.environ.get(password_env)
        if not password:
            raise InputError(
                f"--user needs the password in the variable {password_env}",
                code="intel.no_password",
                hint=f"export {password_env}=... (or name another with --password-env)",
            )
        return {"username": user, "password": password}
    return {"token": os.environ.get(token_env) or None}


@app.command("sync")
def sync(
    ctx: typer.Context,
    collection: Annotated[
        str,
        typer.Option(
            "--collection", help="Pull: the peer's collection id. Push: the local collection."
        ),
    ],
    url: Annotated[
        str | None, typer.Option("--from", help="Pull from this allowed peer (URL or name).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Push to this allowed peer (URL or name).")
    ] = None,
    into: Annotated[
        str | None, typer.Option("--into", help="Pull: the local collection (title or id).")
    ] = None,
    remote: Annotated[
        str | None, typer.Option("--remote-collection", help="Push: the peer's collection id.")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="HTTP Basic user at the peer.")] = None,
    password_env: Annotated[
        str, typer.Option("--password-env", help="The variable holding --user's password.")
    ] = "SHIELDWALL_PEER_PASSWORD",  # noqa: S107 - a variable's name, not a secret
    token_env: Annotated[
        str, typer.Option("--token-env", help="The variable holding the peer's API key.")
    ] = "SHIELDWALL_PEER_TOKEN",  # noqa: S107 - a variable's name, not a secret
    page_size: Annotated[
        int, typer.Option("--page-size", min=1, max=1000, help="Push: objects per envelope.")
    ] = 500,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    hunt: Annotated[
        bool,
        typer.Option("--hunt", help="Pull: then retro-hunt what it brought in your stored logs."),
    ] = False,
) -> None:
    """Pull a collection from a peer TAXII 2.1 server, or push one to it (incremental and
    idempotent; only with peers a hub admin allowed: `shieldwall intel peer add`). A push
    sends what the owner organisation's sanitize policy lets leave, within the peer's TLP."""
    auth = _peer_auth(user, password_env, token_env)
    if (url is None) == (to is None):
        raise InputError("name one of --from (pull) and --to (push)", code="intel.bad_sync")
    if url is not None:
        if into is None:
            raise InputError("a pull needs --into LOCAL", code="intel.bad_sync")
        result = _call(
            ctx,
            "intel.sync",
            {"url": url, "remote_collection": collection, "into": into, **auth},
        )
        typer.echo(
            f"{result['received']} received in {result['pages']} page(s), "
            f"{result['stored_new']} new, {result['rejected']} rejected"
        )
        if hunt:
            _hunt_after_pull(ctx, into, new=int(result["stored_new"]))
        return
    if remote is None:
        raise InputError("a push needs --remote-collection ID", code="intel.bad_sync")
    request = {
        "url": to,
        "collection": collection,
        "remote_collection": remote,
        "page_size": page_size,
        "max_pages": 1,  # a page per call: progress, and each page's decision in the ledger
        **auth,
    }
    err = Console(stderr=True)
    progress = Progress(
        TextColumn("pushing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    keys = ("read", "sent", "accepted", "failed", "pending", "above_tlp", "withheld", "changed")
    totals = dict.fromkeys(keys, 0)
    failures: list[dict[str, str]] = []
    with progress:
        task = progress.add_task("push", total=None)
        while True:
            result = _call(ctx, "intel.sync.push", request)
            for key in keys:
                totals[key] += int(result[key])
            failures += result["failures"]
            progress.update(
                task, completed=totals["read"], total=totals["read"] + result["remaining"]
            )
            if not result["more"]:
                break
    typer.echo(
        f"{totals['sent']} sent to {result['peer']}: {totals['accepted']} accepted, "
        f"{totals['failed']} refused, {totals['pending']} pending; of {totals['read']} read, "
        f"{totals['above_tlp']} above TLP:{result['max_tlp'].upper()} and "
        f"{totals['withheld']} withheld by the sanitize policy, {totals['changed']} sanitized"
    )
    for failure in failures:
        typer.echo(f"refused {failure['id']}: {failure['message']}", err=True)
    if totals["failed"]:
        raise typer.Exit(code=1)


peer_app = typer.Typer(
    help="The TAXII peers this hub may pull from and push to (hub admins).", no_args_is_help=True
)
app.add_typer(peer_app, name="peer")


@peer_app.command("add")
def peer_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A short name for the peer.")],
    url: Annotated[str, typer.Argument(help="Its TAXII API root, e.g. https://hub/taxii2/api/")],
    pull: Annotated[bool, typer.Option("--pull/--no-pull", help="May be pulled from.")] = True,
    push: Annotated[bool, typer.Option("--push/--no-push", help="May be pushed to.")] = False,
    max_tlp: Annotated[
        str, typer.Option("--max-tlp", help="The most a push sends it: clear|green|amber.")
    ] = "green",
) -> None:
    """Allow a peer (again with the same name: change what it may do)."""
    r = _call(
        ctx,
        "intel.peer.add",
        {"name": name, "url": url, "pull": pull, "push": push, "max_tlp": max_tlp},
    )
    typer.echo(f"Peer {r['name']} ({r['api_root']}): {_directions(r)}")


def _directions(peer: dict[str, object]) -> str:
    ways = [w for w in ("pull", "push") if peer[w]]
    upto = f", pushes up to TLP:{str(peer['max_tlp']).upper()}" if peer["push"] else ""
    return " and ".join(ways) + upto


@peer_app.command("remove")
def peer_remove(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The peer's name.")]
) -> None:
    """Remove a peer: nothing is pulled from or pushed to it any more."""
    typer.echo(f"Removed peer {_call(ctx, 'intel.peer.remove', {'name': name})['removed']}")


@peer_app.command("list")
def peer_list(ctx: typer.Context) -> None:
    """The allowed peers: name, API root, directions, added by, added at."""
    for p in _call(ctx, "intel.peer.list", {})["peers"]:
        typer.echo(
            f"{p['name']}\t{p['api_root']}\t{_directions(p)}\t{p['added_by']}\t{p['added_at']}"
        )


sanitize_app = typer.Typer(
    help="What your organisation calls internal, stripped before intel leaves it.",
    no_args_is_help=True,
)
app.add_typer(sanitize_app, name="sanitize")
policy_app = typer.Typer(help="Your organisation's sanitize policy.", no_args_is_help=True)
sanitize_app.add_typer(policy_app, name="policy")
OrgOpt = Annotated[
    str | None, typer.Option("--org", help="The organisation (default: yours).", show_default=False)
]


def _show_policy(result: dict[str, Any]) -> None:
    policy = result["policy"]
    typer.echo(f"sanitize policy of {result['org'] or 'the hub operator'}:")
    for key in ("domains", "hostnames", "networks", "usernames", "email_domains"):
        typer.echo(f"  {key}: {', '.join(policy[key]) or '-'}")
    typer.echo(f"  strip all e-mail addresses: {'yes' if policy['strip_all_emails'] else 'no'}")
    typer.echo("  always: RFC 1918, loopback, link-local and ULA addresses; .local, .internal,")
    typer.echo("          home.arpa and localhost names")


@policy_app.command("set")
def policy_set(
    ctx: typer.Context,
    domain: Annotated[
        list[str] | None, typer.Option("--domain", help="An internal DNS suffix (repeat).")
    ] = None,
    hostname: Annotated[
        list[str] | None, typer.Option("--hostname", help="An internal host name (repeat).")
    ] = None,
    network: Annotated[
        list[str] | None, typer.Option("--network", help="An internal network, CIDR (repeat).")
    ] = None,
    username: Annotated[
        list[str] | None, typer.Option("--username", help="An internal username (repeat).")
    ] = None,
    email_domain: Annotated[
        list[str] | None,
        typer.Option("--email-domain", help="A domain whose addresses are internal (repeat)."),
    ] = None,
    strip_all_emails: Annotated[
        bool, typer.Option("--strip-all-emails", help="Strip every e-mail address.")
    ] = False,
    org: OrgOpt = None,
) -> None:
    """Replace the policy (give every entry at once; organisation admins)."""
    result = _call(
        ctx,
        "intel.sanitize.policy.set",
        {
            "org": org,
            "domains": domain or [],
            "hostnames": hostname or [],
            "networks": network or [],
            "usernames": username or [],
            "email_domains": email_domain or [],
            "strip_all_emails": strip_all_emails,
        },
    )
    _show_policy(result)


@policy_app.command("show")
def policy_show(ctx: typer.Context, org: OrgOpt = None) -> None:
    """Print the policy."""
    _show_policy(_call(ctx, "intel.sanitize.policy.get", {"org": org}))


@sanitize_app.command("preview")
def sanitize_preview(
    ctx: typer.Context,
    collection: CollectionOpt,
    peer: Annotated[
        str | None, typer.Option("--peer", help="What a push to this peer would send.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Everything, the objects that would leave too.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 1000,
) -> None:
    """What would leave a collection (an export, or a push to --peer) and every change; the
    values themselves are never listed."""
    result = _call(
        ctx, "intel.sanitize.preview", {"collection": collection, "peer": peer, "limit": limit}
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    where = "an export"
    if peer:
        where = f"a push to {result['peer']} (up to TLP:{result['max_tlp'].upper()})"
    typer.echo(
        f"{result['leaving']} of {result['read']} object versions would leave in {where}: "
        f"{result['above_tlp']} above its TLP, {result['withheld'] - result['above_tlp']} "
        f"withheld, {result['changed']} sanitized"
        + (" (the first --limit only)" if result["truncated"] else "")
    )
    out = Console()
    if not out.is_terminal:
        out.width = max(out.width, 160)  # files and pipes: keep ids whole
    table = Table()
    for column in ("object", "version", "path", "rule", "kind", "action"):
        table.add_column(column, overflow="fold")
    for c in result["changes"]:
        if c["rule"] == "withheld-by-caller":
            continue
        table.add_row(
            c["object_id"], c["version"] or "", c["path"], c["rule"], c["kind"], c["action"]
        )
    if table.row_count:
        out.print(table)


@app.command("extract")
def extract(
    ctx: typer.Context,
    report: Annotated[
        Path, typer.Argument(metavar="FILE", help="A threat report: text, Markdown, HTML or PDF.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="text (tables), stix (the bundle) or json (all).")
    ] = "text",
    tlp: Annotated[
        str | None, typer.Option("--tlp", help="Mark the draft: clear|green|amber|red|...")
    ] = None,
    into: Annotated[bool, typer.Option("--import", help="Add the draft to --collection.")] = False,
    collection: Annotated[str | None, typer.Option("--collection", help="For --import.")] = None,
) -> None:
    """Draft a STIX 2.1 bundle from a threat report: refanged indicators, CVEs and ATT&CK
    techniques, with where each was found; benign values are dropped by warninglists."""
    if fmt not in ("text", "stix", "json"):
        raise InputError(f"--format {fmt!r}: use text, stix or json", code="intel.bad_format")
    if into and not collection:
        raise InputError("--import needs --collection NAME", code="intel.extract.no_collection")
    try:
        with report.open("rb") as fh:
            data = fh.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise InputError(
            f"cannot read {report}: {exc}", code="input.unreadable", location=str(report)
        ) from exc
    if len(data) > MAX_REPORT_BYTES:
        raise InputError(
            f"{report} is too large (more than {MAX_REPORT_BYTES >> 20} MiB)",
            code="intel.extract.too_large",
            location=str(report),
        )
    request = {"name": report.name, "content_b64": base64.b64encode(data).decode(), "tlp": tlp}
    result = _call(ctx, "intel.extract", request)
    if fmt == "stix":
        typer.echo(json.dumps(result["bundle"], indent=2, ensure_ascii=False))
    elif fmt == "json":
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_text(result, Console(soft_wrap=False))
    if not into:
        return
    objects = result["bundle"]["objects"]
    added = _call(ctx, "intel.objects.add", {"collection": collection, "objects": objects})
    typer.echo(
        f"{added['success_count']} of {added['total_count']} objects added to {collection}.",
        err=fmt != "text",
    )
    for failure in added["failures"]:
        typer.echo(f"rejected {failure['id']}: {failure['message']}", err=True)
    if added["failure_count"]:
        raise typer.Exit(code=1)


def _retrohunt_lines(result: dict[str, Any]) -> list[str]:
    lines = [
        f"{item['indicator']}: seen in {item['count']} event(s), {item['first_seen']} .. "
        f"{item['last_seen']} ({'; '.join(item['values'][:3])}); sighting {item['sighting']}"
        for item in result["sighted"]
    ]
    lines += [f"skipped {s['indicator']}: {s['reason']}" for s in result["skipped"][:20]]
    lines += [
        f"not huntable here {n['type']} {n['value']} ({n['ref']}): {n['reason']}"
        for n in result["not_huntable"][:20]
    ]
    since = result["since"] or "the start"
    lines.append(
        f"{result['collection']['title']}: {result['indicators']} indicator(s) added after "
        f"{since}; {result['hunted']} hunted ({result['observables']} values), "
        f"{result['skipped_count']} skipped, {len(result['sighted'])} seen; "
        f"{result['events_searched']:,} events in {len(result['searched_runs'])} run(s) "
        f"searched; {result['incidents']} incident(s) raised."
    )
    return lines


@app.command("retrohunt")
def retrohunt(
    ctx: typer.Context,
    collection: CollectionOpt,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Indicators added after this time (RFC 3339, ...Z)."),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every indicator, whenever it was added.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Hunt for a collection's new indicators in your stored logs (default: those added since
    your last retro-hunt of it); matches become incidents and sightings. Exit 1 if any seen."""
    if fmt not in ("text", "json"):
        raise InputError("--format is text or json", code="intel.bad_format")
    result = _call(ctx, "intel.retrohunt", {"collection": collection, "since": since, "all": every})
    if fmt == "json":
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for line in _retrohunt_lines(result):
            typer.echo(line)
    if result["sighted"]:
        raise typer.Exit(code=1)


def _hunt_after_pull(ctx: typer.Context, into: str, *, new: int) -> None:
    """``intel sync --hunt``: retro-hunt the pulled collection, when the pull brought anything."""
    if not new:
        typer.echo("nothing new to hunt for")
        return
    result = _call(ctx, "intel.retrohunt", {"collection": into})
    for line in _retrohunt_lines(result):
        typer.echo(line)
    if result["sighted"]:
        raise typer.Exit(code=1)
