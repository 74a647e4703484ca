"""Server-rendered pages. The landing page shows what this instance is and the ledger's state."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from shieldwall import __version__
from shieldwall.core.http import current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal

router = APIRouter(tags=["web"])

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shieldwall</title>
<style>
 body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b2430; background: #f5f7fa; }}
 header {{ background: #17324d; color: #fff; padding: 24px 32px; }}
 header h1 {{ margin: 0; font-size: 28px; }} header p {{ margin: 4px 0 0; opacity: .85; }}
 main {{ max-width: 920px; margin: 24px auto; padding: 0 24px; }}
 section {{ background: #fff; border-radius: 8px; padding: 16px 24px; margin-bottom: 16px;
           box-shadow: 0 1px 3px rgba(0,0,0,.08); }}
 h2 {{ font-size: 18px; margin: 0 0 8px; }}
 pre {{ background: #0f1720; color: #d7e3f0; padding: 12px; border-radius: 6px;
       white-space: pre-wrap; word-break: break-all; font-size: 13px; }}
 .stat {{ font-size: 32px; font-weight: 600; color: #17324d; }}
 ul {{ padding-left: 20px; }} a {{ color: #1d5fa0; }}
</style></head>
<body>
<header><h1>Shieldwall</h1>
<p>Open, self-hostable, AI-assisted cyber defense &middot; version {version}</p></header>
<main>
<section><h2>Transparency ledger</h2>
<p>Every decision this instance makes is recorded in an append-only Merkle log that anyone can
verify offline with its public key.</p>
<div class="stat" id="ledger-size">{size}</div><div>entries</div>
<h2 style="margin-top:16px">Current signed checkpoint</h2>
<pre id="checkpoint">{checkpoint}</pre>
<h2>Verifier key</h2><pre id="public-key">{public_key}</pre>
</section>
<section><h2>Use it</h2><ul>
<li>The API, described in OpenAPI 3: <a href="/openapi.json">/openapi.json</a></li>
<li><a href="/api/v1/ledger/checkpoint">/api/v1/ledger/checkpoint</a> &middot;
<a href="/api/v1/ledger/public-key">/api/v1/ledger/public-key</a> &middot;
<a href="/api/v1/gateway/capabilities">capabilities</a></li>
</ul>
<p>You are browsing as <strong>{who}</strong> (tier {tier}).</p></section>
</main></body></html>
"""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def landing(
    gate: Annotated[Door, Depends(door)], who: Annotated[Principal, Depends(current_principal)]
) -> str:
    note = str(gate.invoke("ledger.checkpoint", {}, who).result["checkpoint"])
    key = str(gate.invoke("ledger.public_key", {}, who).result["public_key"])
    size = note.split("\n")[1]
    return _PAGE.format(
        version=escape(__version__),
        size=escape(size),
        checkpoint=escape(note),
        public_key=escape(key),
        who=escape(str(who.id)),
        tier=int(who.tier),
    )
