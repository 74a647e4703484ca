"""Vulnerable dependencies and code: upload (or paste) a lockfile, manifest or SBOM and see each
vulnerable dependency with its advisories' severity, the versions that fix them and the upgrade
proposed; upload source files (or a zip of a project) and see the code findings; and the stored
scans, fix plans and code analyses of the visitor, each on a page of its own.

Everything goes through the door as the visitor (tier 1): ``vuln.scan`` and ``vuln.fix`` with
the file's text (never a server path), ``vuln.code`` with the files' text, ``vuln.scans.list``
and ``vuln.scans.get`` for the stored ones (each principal sees their own). Patches
(``vuln.patch``) run the project's own tests and write its files, so only the machine's local
owner may run them: the page says so rather than offering a form that the door would refuse.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile

from shieldwall.core.errors import InputError, NotFoundError, ShieldwallError
from shieldwall.vuln.code.files import EXCLUDED_DIRS, EXTENSIONS
from shieldwall.vuln.code.files import MAX_FILE_BYTES as MAX_SOURCE_BYTES
from shieldwall.web.account import login_redirect
from shieldwall.web.base import (
    MAX_FIELD_BYTES,
    PageRoute,
    Visitor,
    invoke,
    read_form,
    redirect,
    render,
    visitor,
)
from shieldwall.web.forms import field_text
from shieldwall.web.uploads import safe_name

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Who = Annotated[Visitor, Depends(visitor)]

MAX_MANIFEST_BYTES = 20 << 20  # vuln.inventory's own limit per file
MAX_EXTRA_FILES = 20
MAX_SOURCE_FILES = 500
MAX_CODE_BYTES = 20 << 20  # all source files (or the zip's members) together
MAX_ZIP_BYTES = 20 << 20
FORM_SLACK = 64 << 10
STORED_SHOWN = 25
LEVELS = ("critical", "high", "medium", "low", "unknown")
_RANK = {name: n for n, name in enumerate(LEVELS)}
KNOWN_NAMES = (
    "requirements.txt",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pylock.toml",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.mod",
    "go.sum",
    "Cargo.lock",
    "Gemfile.lock",
    "composer.lock",
    "bom.cdx.json",
    "sbom.spdx.json",
)


# -- what browsers send ----------------------------------------------------------------------


def decode_text(data: bytes, *, name: str, location: str) -> str:
    """An uploaded file as text: UTF-8 (a BOM dropped), as the JSON API reads it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text",
            code="web.not_text",
            location=location,
            hint="Upload the file as it is on disk (lockfiles and manifests are text).",
        ) from exc


def manifest_name(value: object, taken: set[str]) -> str:
    """The name a manifest is scanned under: its own name, reduced to a plain file name (the
    name says its format: ``poetry.lock``, ``requirements-dev.txt``, ...)."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InputError(
            "say which file this is",
            code="web.no_filename",
            location="filename",
            hint="For example requirements.txt, poetry.lock or package-lock.json.",
        )
    return safe_name(text[:255], taken)


def source_name(name: str) -> str | None:
    """A member of an uploaded project as ``vuln.code`` takes it: a relative '/' path of a
    source file (by extension) outside vendored and generated trees; None for anything else."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts or any(p in EXCLUDED_DIRS for p in parts[:-1]):
        return None
    if any(len(p) > 255 or any(ord(c) < 0x20 or ord(c) == 0x7F for c in p) for p in parts):
        return None
    path = PurePosixPath(*parts)
    if path.suffix.lower() not in EXTENSIONS or name.startswith(("/", "\\")) or ":" in parts[0]:
        return None
    return path.as_posix()


def sources_from_zip(data: bytes) -> dict[str, str]:
    """The source files of a zipped project (path -> text), within the limits; members that
    are not source files are left out, and so are files that are not UTF-8 (InputError for a
    zip that is not one, or one over the limits)."""
    if len(data) > MAX_ZIP_BYTES:
        raise InputError(
            f"the zip is larger than {MAX_ZIP_BYTES >> 20} MB",
            code="web.zip_too_large",
            location="code",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(
            "the file is not a zip", code="web.bad_zip", location="code", hint="Zip the project."
        ) from exc
    out: dict[str, str] = {}
    total = 0
    with archive:
        for info in members:
            if info.is_dir():
                continue
            name = source_name(info.filename)
            if name is None or name in out or info.file_size > MAX_SOURCE_BYTES:
                continue
            if len(out) >= MAX_SOURCE_FILES:
                raise InputError(
                    f"the zip has more than {MAX_SOURCE_FILES} source files",
                    code="web.too_many_files",
                    location="code",
                    hint="Upload the part of the project you want checked.",
                )
            total += info.file_size
            if total > MAX_CODE_BYTES:
                raise InputError(
                    f"the zip's source files are larger than {MAX_CODE_BYTES >> 20} MB together",
                    code="web.zip_too_large",
                    location="code",
                )
            try:
                with archive.open(info) as member:
                    raw = member.read(MAX_SOURCE_BYTES + 1)
            except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError) as e:
                raise InputError(
                    f"{name} cannot be read from the zip", code="web.bad_zip", location="code"
                ) from e
            if len(raw) > MAX_SOURCE_BYTES:
                continue
            try:
                out[name] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                continue
    return out


async def _upload_bytes(upload: UploadFile, *, limit: int, location: str) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"{upload.filename or 'the file'} is larger than {limit >> 20} MB",
            code="web.file_too_large",
            location=location,
        )
    return data


def _files_of(form: FormData, name: str) -> list[UploadFile]:
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]


async def manifest_request(form: FormData) -> tuple[str, dict[str, str]]:
    """The manifest to check (its name) and every file sent (name -> text): an uploaded
    manifest, or pasted text with its name; plus the files it includes or that lie beside it."""
    taken: set[str] = set()
    files: dict[str, str] = {}
    uploaded = _files_of(form, "manifest")
    pasted = field_text(form, "text", max_chars=MAX_FIELD_BYTES, required=False)
    if uploaded:
        first = uploaded[0]
        root = manifest_name(first.filename, taken)
        data = await _upload_bytes(first, limit=MAX_MANIFEST_BYTES, location="manifest")
        files[root] = decode_text(data, name=root, location="manifest")
    elif pasted:
        root = manifest_name(form.get("filename"), taken)
        files[root] = pasted
    else:
        raise InputError(
            "no lockfile or manifest was given",
            code="web.no_manifest",
            location="manifest",
            hint="Choose the file, or paste its text and say its name.",
        )
    if not files[root].strip():
        raise InputError(f"{root} is empty", code="web.empty_file", location="manifest")
    extra = _files_of(form, "extra")
    if len(extra) > MAX_EXTRA_FILES:
        raise InputError(
            f"at most {MAX_EXTRA_FILES} files beside the manifest",
            code="web.too_many_files",
            location="extra",
        )
    for item in extra:
        name = manifest_name(item.filename, taken)
        data = await _upload_bytes(item, limit=MAX_MANIFEST_BYTES, location="extra")
        files[name] = decode_text(data, name=name, location="extra")
    return root, files


async def code_request(form: FormData) -> dict[str, str]:
    """The source files to analyse (path -> text): uploaded files, or a zip of a project."""
    uploaded = _files_of(form, "code")
    if not uploaded:
        raise InputError(
            "no source file was chosen",
            code="web.no_file",
            location="code",
            hint="Choose .py, .js or .ts files, or a zip of the project.",
        )
    if len(uploaded) > MAX_SOURCE_FILES:
        raise InputError(
            f"at most {MAX_SOURCE_FILES} files at once",
            code="web.too_many_files",
            location="code",
            hint="Zip the project instead.",
        )
    files: dict[str, str] = {}
    taken: set[str] = set()
    total = 0
    for item in uploaded:
        if (item.filename or "").lower().endswith(".zip"):
            data = await _upload_bytes(item, limit=MAX_ZIP_BYTES, location="code")
            for name, text in sources_from_zip(data).items():
                files.setdefault(name, text)
            continue
        name = safe_name(item.filename or "source", taken)
        if source_name(name) is None:
            raise InputError(
                f"{name} is not a Python, JavaScript or TypeScript file",
                code="web.not_source",
                location="code",
                hint="Choose .py, .js, .ts (and .jsx, .tsx, .mjs) files, or a zip.",
            )
        data = await _upload_bytes(item, limit=MAX_SOURCE_BYTES, location="code")
        total += len(data)
        if total > MAX_CODE_BYTES:
            raise InputError(
                f"the files are larger than {MAX_CODE_BYTES >> 20} MB together",
                code="web.upload_too_large",
                location="code",
            )
        files[name] = decode_text(data, name=name, location="code")
    if not files:
        raise InputError(
            "the zip holds no Python, JavaScript or TypeScript file",
            code="web.no_source",
            location="code",
        )
    return files


# -- what the pages show ---------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in _items(value) if isinstance(v, Mapping)]


def _strings(value: Any) -> list[str]:
    return [str(v) for v in _items(value)]


def _level(value: Any) -> str:
    text = str(value or "unknown").lower()
    return text if text in _RANK else "unknown"


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _summary(value: Any) -> dict[str, int]:
    data = value if isinstance(value, Mapping) else {}
    return {
        k: int(v) if isinstance(v, int) and not isinstance(v, bool) else 0
        for k, v in data.items()
        if isinstance(k, str)
    }


def _osv_url(vuln_id: str) -> str:
    """The advisory's page on osv.dev (a link, never fetched by the server)."""
    safe = "".join(c for c in vuln_id if c.isalnum() or c in "-_.:")
    return f"https://osv.dev/vulnerability/{safe}" if safe else ""


def fix_view(result: Mapping[str, Any]) -> dict[str, Any]:
    """``vuln.fix``'s answer as the page shows it."""
    upgrades = [
        {
            "name": str(u.get("name") or ""),
            "ecosystem": str(u.get("ecosystem") or ""),
            "from": str(u.get("from") or ""),
            "to": str(u.get("to") or ""),
            "location": str(u.get("location") or ""),
            "major": bool(u.get("major")),
            "clears": _strings(u.get("clears")),
            "remaining": _strings(u.get("remaining")),
            "note": str(u.get("note") or ""),
            "written": bool(u.get("written")),
            "not_written": str(u.get("not_written") or ""),
            "unactionable": bool(u.get("unactionable")),
        }
        for u in _maps(result.get("upgrades"))
    ]
    files = result.get("files")
    after = result.get("after")
    return {
        "source": str(result.get("source") or ""),
        "format": str(result.get("format") or ""),
        "upgrades": upgrades,
        "files": sorted(str(k) for k in files) if isinstance(files, Mapping) else [],
        "diff": str(result.get("diff") or ""),
        "notes": _strings(result.get("notes")),
        "before": _summary(result.get("before")),
        "after": _summary(after) if isinstance(after, Mapping) else None,
        "after_vulns": [
            {"name": str(v.get("name") or ""), "version": str(v.get("version") or "")}
            | {"ids": _strings(v.get("ids"))}
            for v in _maps(result.get("after_vulns"))
        ],
        "unfixable": _strings(result.get("unfixable")),
        "errors": _maps(result.get("errors")),
        "resolution": str(result.get("resolution") or ""),
        "scan_id": str(result.get("scan_id") or ""),
    }


def scan_view(result: Mapping[str, Any], fix: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``vuln.scan``'s answer as the page shows it: the vulnerable dependencies first (worst
    first), each advisory with its level, score, summary and fixed-in versions, and the upgrade
    ``fix`` (``fix_view``) proposes for it."""
    proposed = {
        (u["name"].lower(), u["from"]): u for u in (fix["upgrades"] if fix is not None else [])
    }
    vulnerable: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    clean = 0
    for dep in _maps(result.get("dependencies")):
        name = str(dep.get("name") or "")
        version = str(dep.get("version") or "")
        vulns: list[dict[str, Any]] = []
        for v in _maps(dep.get("vulns")):
            vid = str(v.get("id") or "")
            vulns.append(
                {
                    "id": vid,
                    "url": _osv_url(vid),
                    "aliases": _strings(v.get("aliases")),
                    "level": _level(v.get("level")),
                    "score": _number(v.get("score")),
                    "summary": str(v.get("summary") or ""),
                    "fixed_in": _strings(v.get("fixed_in")),
                }
            )
        row: dict[str, Any] = {
            "name": name,
            "version": version,
            "ecosystem": str(dep.get("ecosystem") or ""),
            "location": str(dep.get("location") or ""),
            "purl": str(dep.get("purl") or ""),
        }
        if vulns:
            vulns.sort(key=lambda v: (_RANK[v["level"]], -(v["score"] or 0.0), v["id"]))
            row["vulns"] = vulns
            row["level"] = vulns[0]["level"]
            row["fix"] = proposed.get((name.lower(), version))
            vulnerable.append(row)
        elif dep.get("skip_reason"):
            row["reason"] = str(dep.get("skip_reason"))
            skipped.append(row)
        else:
            clean += 1
    vulnerable.sort(
        key=lambda r: (_RANK[r["level"]], -(r["vulns"][0]["score"] or 0.0), r["name"].lower())
    )
    return {
        "source": str(result.get("source") or ""),
        "format": str(result.get("format") or ""),
        "advisories": str(result.get("advisories") or ""),
        "scanned_at": str(result.get("scanned_at") or ""),
        "summary": _summary(result.get("summary")),
        "vulnerable": vulnerable,
        "skipped": skipped,
        "clean": clean,
        "errors": _maps(result.get("errors")),
        "warnings": _strings(result.get("warnings")),
        "scan_id": str(result.get("scan_id") or ""),
    }


def code_view(result: Mapping[str, Any]) -> dict[str, Any]:
    """``vuln.code``'s answer as the page shows it: findings, worst first."""
    findings: list[dict[str, Any]] = []
    for f in _maps(result.get("findings")):
        loc = f.get("location") if isinstance(f.get("location"), Mapping) else {}
        findings.append(
            {
                "id": str(f.get("id") or ""),
                "rule": str(f.get("rule") or ""),
                "analyser": str(f.get("analyser") or ""),
                "cwe": _strings(f.get("cwe")),
                "level": _level(f.get("severity")),
                "confidence": str(f.get("confidence") or ""),
                "message": str(f.get("message") or ""),
                "file": str(loc.get("file") or "") if isinstance(loc, Mapping) else "",
                "line": loc.get("line") if isinstance(loc, Mapping) else None,
                "snippet": str(f.get("snippet") or ""),
                "fix_template": str(f.get("fix_template") or ""),
                "also": _strings(f.get("also_reported_by")),
            }
        )
    findings.sort(key=lambda f: (_RANK[f["level"]], f["file"], str(f["line"])))
    return {
        "findings": findings,
        "files": {str(k): v for k, v in (result.get("files") or {}).items()}
        if isinstance(result.get("files"), Mapping)
        else {},
        "analysers": _maps(result.get("analysers")),
        "skipped": _maps(result.get("skipped")),
        "errors": _strings(result.get("errors")),
        "warnings": _strings(result.get("warnings")),
        "summary": result.get("summary") if isinstance(result.get("summary"), Mapping) else {},
        "scan_id": str(result.get("scan_id") or ""),
    }


# -- the pages -----------------------------------------------------------------------------------


async def _try(request: Request, who: Visitor, capability: str, payload: Mapping[str, Any]) -> Any:
    try:
        return await invoke(request, capability, payload, who.principal)
    except ShieldwallError as err:
        return err


async def _vuln_page(
    request: Request, who: Visitor, *, status: int = 200, **extra: Any
) -> Response:
    context: dict[str, Any] = {
        "error": None,
        "code_error": None,
        "stored": None,
        "stored_error": None,
        "db": None,
        "db_error": None,
        "known_names": KNOWN_NAMES,
        "max_mb": MAX_MANIFEST_BYTES >> 20,
        "max_paste_kb": MAX_FIELD_BYTES >> 10,
        "form": {},
    }
    if who.signed_in:
        stored = await _try(request, who, "vuln.scans.list", {"limit": STORED_SHOWN})
        db = await _try(request, who, "vuln.db.status", {})
        context["stored"] = None if isinstance(stored, ShieldwallError) else stored["scans"]
        context["stored_error"] = stored if isinstance(stored, ShieldwallError) else None
        context["db"] = None if isinstance(db, ShieldwallError) else db
        context["db_error"] = db if isinstance(db, ShieldwallError) else None
    context.update(extra)
    return render(request, "vuln.html", status=status, **context)


@router.get("/vuln", response_class=HTMLResponse)
async def vuln(request: Request, who: Who) -> Response:
    return await _vuln_page(request, who)


@router.post("/vuln/scan", response_class=HTMLResponse)
async def scan(request: Request, who: Who) -> Response:
    """Scan the manifest, and when something is vulnerable, plan its fix too."""
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(
        request, who, max_bytes=MAX_MANIFEST_BYTES * 2 + FORM_SLACK, max_files=1 + MAX_EXTRA_FILES
    )
    sent = {"filename": form.get("filename"), "text": form.get("text")}
    try:
        root, files = await manifest_request(form)
        result = await invoke(
            request, "vuln.scan", {"roots": [root], "files": files}, who.principal
        )
    except ShieldwallError as err:
        return await _vuln_page(request, who, status=err.http_status, error=err, form=sent)
    finally:
        await form.close()
    fix: dict[str, Any] | None = None
    fix_error: ShieldwallError | None = None
    if _summary(result.get("summary")).get("vulnerable"):
        answer = await _try(request, who, "vuln.fix", {"root": root, "files": files})
        if isinstance(answer, ShieldwallError):
            fix_error = answer
        else:
            fix = fix_view(answer)
    return render(
        request,
        "vuln_result.html",
        kind="scan",
        scan=scan_view(result, fix),
        fix=fix,
        fix_error=fix_error,
        code=None,
        created_at="",
        truncated=False,
    )


@router.post("/vuln/code", response_class=HTMLResponse)
async def code(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(
        request, who, max_bytes=MAX_CODE_BYTES + FORM_SLACK, max_files=MAX_SOURCE_FILES
    )
    try:
        files = await code_request(form)
        result = await invoke(request, "vuln.code", {"files": files}, who.principal)
    except ShieldwallError as err:
        return await _vuln_page(request, who, status=err.http_status, code_error=err)
    finally:
        await form.close()
    return render(
        request,
        "vuln_result.html",
        kind="code",
        scan=None,
        fix=None,
        fix_error=None,
        code=code_view(result),
        created_at="",
        truncated=False,
    )


def _stored_id(scan_id: str) -> str:
    if not 0 < len(scan_id) <= 64 or not all(c.isalnum() or c in "_-" for c in scan_id):
        raise NotFoundError("there is no such scan", code="web.no_scan")
    return scan_id


@router.get("/vuln/scans/{scan_id}", response_class=HTMLResponse)
async def stored(scan_id: str, request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    found = await invoke(request, "vuln.scans.get", {"id": _stored_id(scan_id)}, who.principal)
    kind = str(found.get("kind") or "")
    result = found.get("result") if isinstance(found.get("result"), Mapping) else {}
    result = {**result, "scan_id": str(found.get("id") or "")}
    context: dict[str, Any] = {
        "kind": kind,
        "scan": None,
        "fix": None,
        "fix_error": None,
        "code": None,
        "created_at": str(found.get("created_at") or ""),
        "truncated": bool(result.get("truncated")),
    }
    if kind == "scan":
        context["scan"] = scan_view(result)
    elif kind == "fix":
        context["fix"] = fix_view(result)
    elif kind == "code":
        context["code"] = code_view(result)
    return render(request, "vuln_result.html", **context)


@router.get("/vuln/scans/{scan_id}/files/{name}")
async def fixed_file(scan_id: str, name: str, request: Request, who: Who) -> Response:
    """A file as a fix plan rewrote it, to download."""
    if not who.signed_in:
        return login_redirect(request)
    found = await invoke(request, "vuln.scans.get", {"id": _stored_id(scan_id)}, who.principal)
    result = _mapping(found.get("result"))
    files = _mapping(result.get("files"))
    text = files.get(name) if found.get("kind") == "fix" else None
    if not isinstance(text, str):
        raise NotFoundError("the fix plan rewrote no such file", code="web.no_fixed_file")
    download = safe_name(name, set())
    return Response(
        text,
        media_type="text/plain; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{download}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


@router.get("/vuln/scans")
async def stored_list(request: Request, who: Who) -> Response:
    return redirect(request, "/vuln#stored")


__all__ = [
    "KNOWN_NAMES",
    "code_request",
    "code_view",
    "decode_text",
    "fix_view",
    "manifest_name",
    "manifest_request",
    "router",
    "scan_view",
    "source_name",
    "sources_from_zip",
]
