"""`shieldwall intel extract` run as a real process on Markdown, HTML and PDF reports, its draft
imported into a collection, and POST /api/v1/intel/extract on a real server."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import httpx
import pypdf
import stix2
from live_server import LiveServer

from cli_runner import run_cli
from shieldwall.core.types import Tier

GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
MD5 = "4ed397bbd99e754fc068d7d3fdd22393"

REPORT_MD = f"""# Paper Lantern, short

The loader beacons to cdn-update[.]xyz and 45[.]9[.]148[.]114 (MD5 {MD5}),
fetching hxxps://files.lantern-drop[.]org/s2.bin. It exploits CVE-2023-23397 (T1566.001).
Internal host 10.0.0.5 and microsoft.com are not indicators.
"""

REPORT_HTML = """<!DOCTYPE html>
<html><head><title>Lantern (HTML)</title>
<script>var c2 = "script-only.com";</script></head>
<body><p>C2: <b>cdn-update</b>[.]xyz and 45[.]9[.]148[.]114</p>
<p>Exploits CVE-2023-23397.</p></body></html>
"""


def minimal_pdf(pages: list[list[str]]) -> bytes:
    """A small valid PDF written by hand (Helvetica, one text line per string)."""
    kids = [4 + 2 * i for i in range(len(pages))]
    refs = " ".join(f"{k} 0 R" for k in kids)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{refs}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for kid, lines in zip(kids, pages, strict=True):
        shown = " ".join(f"({line}) Tj T*" for line in lines)
        stream = f"BT /F1 10 Tf 14 TL 40 800 Td {shown} ET".encode("latin-1")
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font "
            f"<< /F1 3 0 R >> >> /Contents {kid + 1} 0 R >>".encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PDF = minimal_pdf([["Paper Lantern", "beacon to cdn-update[.]xyz"], ["C2 45[.]9[.]148[.]114"]])


def sw(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args, env={"COLUMNS": "200"}, drop_env_prefix="SHIELDWALL_")


def reports(tmp_path: Path) -> tuple[Path, Path, Path]:
    md, html, pdf = tmp_path / "lantern.md", tmp_path / "lantern.html", tmp_path / "lantern.pdf"
    md.write_text(REPORT_MD)
    html.write_text(REPORT_HTML)
    pdf.write_bytes(PDF)
    return md, html, pdf


def test_markdown_html_and_pdf_reports(home: Path, tmp_path: Path) -> None:
    md, html, pdf = reports(tmp_path)
    done = sw(home, "intel", "extract", str(md), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["counts"] == {
        "attack-technique": 1,
        "cve": 1,
        "domain-name": 1,
        "ipv4-addr": 1,
        "md5": 1,
        "url": 1,
    }
    found = {f["value"]: f for f in result["found"]}
    assert found["45.9.148.114"]["locations"][0]["line"] == 3
    assert "45[.]9[.]148[.]114" in found["45.9.148.114"]["locations"][0]["snippet"]
    assert found["https://files.lantern-drop.org/s2.bin"]["defanged"]
    dropped = {d["value"]: d["warninglist"] for d in result["dropped"]}
    assert dropped == {"10.0.0.5": "private-ipv4", "microsoft.com": "top-domains"}
    assert result["document"]["title"] == "Paper Lantern, short"

    stix = sw(home, "intel", "extract", str(html), "--format", "stix", "--tlp", "green")
    assert stix.returncode == 0, stix.stderr
    bundle = json.loads(stix.stdout)
    parsed = stix2.parse(bundle, allow_custom=False)
    assert parsed.objects[0].name == "Lantern (HTML)"
    assert {o["type"] for o in bundle["objects"]} == {"report", "indicator", "vulnerability"}
    assert all(o["object_marking_refs"] == [GREEN] for o in bundle["objects"])
    assert "script-only" not in stix.stdout
    again = sw(home, "intel", "extract", str(html), "--format", "stix", "--tlp", "green")
    assert [o["id"] for o in json.loads(again.stdout)["objects"]] == [
        o["id"] for o in bundle["objects"]
    ]

    text = sw(home, "intel", "extract", str(pdf))
    assert text.returncode == 0, text.stderr
    assert "Found in lantern.pdf" in text.stdout
    assert "45.9.148.114" in text.stdout
    assert "p.2 1:4" in text.stdout  # page 2, line 1, column 4
    assert "No ATT&CK reference collection" in text.stdout


def test_the_draft_goes_into_a_collection(home: Path, tmp_path: Path) -> None:
    md, _, _ = reports(tmp_path)
    made = sw(home, "intel", "collection", "create", "drafts", "--tlp", "amber")
    assert made.returncode == 0, made.stderr
    imported = sw(home, "intel", "extract", str(md), "--import", "--collection", "drafts")
    assert imported.returncode == 0, imported.stderr
    assert "7 of 7 objects added to drafts." in imported.stdout
    quiet = sw(
        home, "intel", "extract", str(md), "--format", "stix", "--import", "--collection", "drafts"
    )
    assert quiet.returncode == 0, quiet.stderr
    assert "7 of 7 objects added to drafts." in quiet.stderr  # stdout stays the bundle
    json.loads(quiet.stdout)
    hits = sw(home, "intel", "search", "cdn-update.xyz")
    assert hits.returncode == 0, hits.stderr
    (hit,) = [json.loads(line) for line in hits.stdout.splitlines()]
    assert hit["object"]["pattern"] == "[domain-name:value = 'cdn-update.xyz']"
    missing = sw(home, "intel", "extract", str(md), "--import")
    assert missing.returncode == 2
    assert "error[intel.extract.no_collection]" in missing.stderr


def test_bad_reports_are_refused_with_a_reason(home: Path, tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all")
    cases = {
        str(locked): "error[intel.extract.encrypted_pdf]",
        str(fake): "error[intel.extract.not_pdf]",
        str(tmp_path / "absent.md"): "error[input.unreadable]",
    }
    for path, error in cases.items():
        done = sw(home, "intel", "extract", path)
        assert done.returncode == 2, done.stdout
        assert error in done.stderr
    wrong = sw(home, "intel", "extract", str(fake), "--format", "yaml")
    assert wrong.returncode == 2
    assert "error[intel.bad_format]" in wrong.stderr


def test_extract_over_http(server: LiveServer, client: httpx.Client) -> None:
    _, secret = server.runtime.keys.create(name="analyst", tier=Tier.VERIFIED_INDIVIDUAL)
    headers = {"Authorization": f"Bearer {secret}", "content-type": "application/pdf"}
    res = client.post(
        "/api/v1/intel/extract",
        params={"filename": "lantern.pdf", "tlp": "green"},
        content=PDF,
        headers=headers,
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["document"]["pages"] == 2
    assert body["counts"] == {"domain-name": 1, "ipv4-addr": 1}
    stix2.parse(body["bundle"], allow_custom=False)
    anonymous = client.post("/api/v1/intel/extract", params={"filename": "r.md"}, content=b"x")
    assert anonymous.status_code == 403
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    broken = client.post(
        "/api/v1/intel/extract", params={"filename": "r.pdf"}, content=b"nope", headers=headers
    )
    assert broken.status_code == 400
    assert broken.json()["code"] == "intel.extract.not_pdf"
