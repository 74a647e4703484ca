"""Log uploads of the defender dashboard: kept in a private directory per upload, run through
the door in the background, their progress written beside them.

    <home>/web/uploads/<up_id>/        mode 0700, one per upload
        upload.json    who uploaded what: the owner's principal id, each file's name, size
                       and SHA-256, the rule set, the level and the window asked for
        status.json    queued | running | done | failed; progress; the run's id, or the
                       refusal (code, message, hint) when the door said no
        files/         the uploaded logs, under sanitised names; deleted when the run ends

Only the owner (the principal who uploaded) may read an upload's status; to anyone else it
does not exist. Uploads older than a day are removed when a new one is made.

The run goes through the door as the uploader, in one worker thread per process (runs are
CPU-bound; they queue) as ``detect.run_upload``: a run over an upload named by id, with a
rule set named under the operator's rules directory (``shieldwall.detect.uploads``): the
uploader never names a server path. A refusal is what the status page then shows.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from shieldwall.core.errors import (
    DeniedError,
    InputError,
    NotFoundError,
    ShieldwallError,
    StoreError,
    ThrottledError,
)
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal
from shieldwall.detect.capabilities import progress_hook
from shieldwall.detect.readers import ReadReport
from shieldwall.detect.uploads import (
    RULES_ENV,
    UPLOAD_ID,
    RuleSet,
    find_rule_set,
    rule_sets,
    rules_root,
)
from shieldwall.web.base import prune_dirs

RUN_UPLOAD = "detect.run_upload"

MAX_UPLOAD_BYTES = 256 << 20  # all files of one upload together
MAX_FILES = 20
MAX_PENDING = 8  # uploads queued or running in this process
KEEP_FOR = timedelta(days=1)
CHUNK = 1 << 20
MAX_NAME_CHARS = 100
MAX_REPORTED_ERRORS = 20


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MANIFEST = "upload.json"
_STATUS = "status.json"
_FILES = "files"

STATES = ("queued", "running", "done", "failed")


# -- names -------------------------------------------------------------------------------------


def safe_name(name: str, taken: set[str]) -> str:
    """A file name to keep an upload under: the last part of what the browser sent, reduced
    to letters, digits, ``.``, ``_`` and ``-`` (none of those three first), unique among
    ``taken``."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._-")[:MAX_NAME_CHARS] or "log"
    stem, dot, ext = cleaned.rpartition(".")
    if not dot:
        stem, ext = cleaned, ""
    candidate = cleaned
    n = 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
    taken.add(candidate.lower())
    return candidate


# -- the store of uploads ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StagedFile:
    name: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "bytes": self.size, "sha256": self.sha256}


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _write_json(path: Path, value: Mapping[str, Any]) -> None:
    """Written whole beside it, then moved into place: a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


class Uploads:
    """The upload directories under ``root`` (``<home>/web/uploads``)."""

    def __init__(self, root: Path, *, keep_for: timedelta = KEEP_FOR) -> None:
        self.root = root
        self._keep_for = keep_for
        self._lock = threading.Lock()

    def _dir(self, upload_id: str) -> Path:
        if not UPLOAD_ID.fullmatch(upload_id):
            raise NotFoundError("there is no such upload", code="web.no_upload")
        return self.root / upload_id

    def files_dir(self, upload_id: str) -> Path:
        return self._dir(upload_id) / _FILES

    def create(self) -> str:
        """A new, empty upload directory (0700); old ones are removed first."""
        self.prune()
        upload_id = f"up_{secrets.token_hex(12)}"
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            (self.root / upload_id).mkdir(mode=0o700)
            (self.root / upload_id / _FILES).mkdir(mode=0o700)
        except OSError as exc:
            raise StoreError(
                f"cannot make an upload directory under {self.root}: {exc}",
                code="web.upload_dir",
                hint="Check that the data directory is writable by the server.",
            ) from exc
        return upload_id

    def add_file(self, upload_id: str, source: IO[bytes], name: str, *, budget: int) -> StagedFile:
        """Copy one uploaded file in, at most ``budget`` bytes (InputError beyond)."""
        path = self.files_dir(upload_id) / name
        digest = hashlib.sha256()
        size = 0
        with path.open("xb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > budget:
                    raise InputError(
                        f"the files are larger than {MAX_UPLOAD_BYTES >> 20} MB together",
                        code="web.upload_too_large",
                        location="logs",
                        hint="Upload fewer or smaller files, or zip them.",
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            path.unlink()
            raise InputError(
                f"{name} is empty",
                code="web.empty_file",
                location="logs",
                hint="Choose a log file.",
            )
        return StagedFile(name=name, size=size, sha256=digest.hexdigest())

    def write_manifest(self, upload_id: str, manifest: Mapping[str, Any]) -> None:
        _write_json(self._dir(upload_id) / _MANIFEST, manifest)

    def manifest(self, upload_id: str, *, owner: str) -> dict[str, Any]:
        """The upload's manifest, if ``owner`` made it; NotFoundError otherwise."""
        try:
            data = json.loads((self._dir(upload_id) / _MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise NotFoundError("there is no such upload", code="web.no_upload") from exc
        if not isinstance(data, dict) or data.get("owner") != owner:
            raise NotFoundError("there is no such upload", code="web.no_upload")
        return data

    def status(self, upload_id: str, *, owner: str) -> dict[str, Any]:
        self.manifest(upload_id, owner=owner)
        try:
            data = json.loads((self._dir(upload_id) / _STATUS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {"state": "queued"}
        return data if isinstance(data, dict) else {"state": "queued"}

    def update_status(self, upload_id: str, **changes: Any) -> dict[str, Any]:
        with self._lock:
            path = self._dir(upload_id) / _STATUS
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            data.update(changes, updated_at=_now())
            _write_json(path, data)
            return dict(data)

    def drop_files(self, upload_id: str) -> None:
        shutil.rmtree(self.files_dir(upload_id), ignore_errors=True)

    def remove(self, upload_id: str) -> None:
        shutil.rmtree(self._dir(upload_id), ignore_errors=True)

    def prune(self) -> int:
        """Remove the uploads older than ``keep_for``; returns how many."""
        return prune_dirs(self.root, UPLOAD_ID, self._keep_for)

    def display(self, text: str) -> str:
        """``text`` (a path or a message naming one) with this store's upload directories cut
        out, so ``<root>/up_.../files/auth.log:12`` reads ``auth.log:12``."""
        prefix = str(self.root) + os.sep
        if prefix not in text:
            return text
        return re.sub(
            re.escape(prefix) + r"up_[0-9a-f]{24}" + re.escape(os.sep + _FILES + os.sep), "", text
        )


# -- running -----------------------------------------------------------------------------------


def error_json(err: ShieldwallError) -> dict[str, Any]:
    details = err.details if isinstance(err.details, dict) else {}
    return {
        "code": err.code,
        "title": err.title,
        "message": err.message,
        "hint": err.hint,
        "ledger_index": details.get("ledger_index"),
        "kind": type(err).__name__,
    }


def result_summary(result: Any, uploads: Uploads) -> dict[str, Any]:
    """What the status keeps of a run's result: its id and counts, and what did not load."""
    run = result.get("run", {}) if isinstance(result, Mapping) else {}
    rules = run.get("rules", {}) if isinstance(run.get("rules"), Mapping) else {}
    read = run.get("read", {}) if isinstance(run.get("read"), Mapping) else {}
    incidents = result.get("incidents", []) if isinstance(result, Mapping) else []
    errors = [
        {
            "code": str(e.get("code", "")),
            "message": uploads.display(str(e.get("message", ""))),
            "location": uploads.display(str(e.get("location") or "")),
        }
        for e in (read.get("errors") or [])[:MAX_REPORTED_ERRORS]
        if isinstance(e, Mapping)
    ]
    failures = [_rule_failure(f) for f in (rules.get("failures") or [])[:MAX_REPORTED_ERRORS]]
    return {
        "run_id": run.get("id"),
        "events": run.get("events", 0),
        "alerts": run.get("alerts", 0),
        "suppressed": run.get("suppressed", 0),
        "incidents": len(incidents) if isinstance(incidents, list) else 0,
        "rules_loaded": rules.get("loaded", 0),
        "rules_failed": rules.get("failed", 0),
        "rule_failures": failures,
        "files_read": read.get("files", 0),
        "files_failed": read.get("failed_files", 0),
        "lines_skipped": read.get("skipped", 0),
        "read_errors": errors,
    }


def _rule_failure(failure: Any) -> str:
    """``file:line: reason``, naming the rule file only (not where the operator keeps it)."""
    if not isinstance(failure, Mapping):
        return str(failure)[:500]
    where = Path(str(failure.get("path") or "rule")).name
    if failure.get("line"):
        where += f":{failure['line']}"
    return f"{where}: {str(failure.get('reason', ''))[:400]}"


class UploadRunner:
    """Runs uploads through the door, one at a time per process, at most ``max_pending``
    waiting."""

    def __init__(self, uploads: Uploads, door: Door, *, max_pending: int = MAX_PENDING) -> None:
        self.uploads = uploads
        self._door = door
        self._max_pending = max_pending
        self._pending = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shieldwall-upload")

    def submit(
        self, upload_id: str, capability: str, payload: Mapping[str, Any], who: Principal
    ) -> None:
        with self._lock:
            if self._pending >= self._max_pending:
                raise ThrottledError(
                    "the server is busy with other uploads",
                    code="web.busy",
                    hint="Try again in a minute.",
                )
            self._pending += 1
        try:
            self.uploads.update_status(upload_id, state="queued", capability=capability)
            self._pool.submit(self._run, upload_id, capability, dict(payload), who)
        except BaseException:  # e.g. the pool is shut down: the server is stopping
            with self._lock:
                self._pending -= 1
            raise

    def _run(
        self, upload_id: str, capability: str, payload: dict[str, Any], who: Principal
    ) -> None:
        try:
            self.uploads.update_status(upload_id, state="running", started_at=_now())
            token = progress_hook.set(self._progress(upload_id))
            try:
                done = self._door.invoke(capability, payload, who)
            finally:
                progress_hook.reset(token)
            self.uploads.update_status(
                upload_id,
                state="done",
                finished_at=_now(),
                ledger_index=done.decision_index,
                **result_summary(done.result, self.uploads),
            )
        except ShieldwallError as err:
            self.uploads.update_status(
                upload_id, state="failed", finished_at=_now(), error=error_json(err)
            )
        except Exception as exc:  # a bug: say so on the page rather than run forever
            self.uploads.update_status(
                upload_id,
                state="failed",
                finished_at=_now(),
                error={
                    "code": "internal",
                    "title": "Internal error",
                    "message": f"the run failed: {type(exc).__name__}",
                    "hint": "See the server's log.",
                    "ledger_index": None,
                    "kind": "InternalError",
                },
            )
        finally:
            self.uploads.drop_files(upload_id)
            with self._lock:
                self._pending -= 1

    def _progress(self, upload_id: str) -> Callable[[Path, int, ReadReport], None]:
        counts = {"files": 0, "bytes": 0}

        def hook(_path: Path, size: int, report: ReadReport) -> None:
            counts["files"] += 1
            counts["bytes"] += size
            self.uploads.update_status(
                upload_id,
                files_done=counts["files"],
                bytes_done=counts["bytes"],
                events_read=report.events,
            )

        return hook


def runner_payload(
    capability: str,
    *,
    upload_id: str,
    files_dir: Path,
    rule_set: RuleSet,
    min_level: str,
    window_minutes: int,
) -> dict[str, Any]:
    """The request for ``capability`` (``detect.run_upload``): the upload's id and a rule set
    name, never a path."""
    if capability == RUN_UPLOAD:
        return {
            "upload": upload_id,
            "ruleset": rule_set.name,
            "min_level": min_level,
            "window_minutes": window_minutes,
        }
    raise DeniedError(f"{capability!r} does not run uploads", code="web.no_runner")


__all__ = [
    "MAX_FILES",
    "MAX_UPLOAD_BYTES",
    "RULES_ENV",
    "RUN_UPLOAD",
    "STATES",
    "UPLOAD_ID",
    "RuleSet",
    "StagedFile",
    "UploadRunner",
    "Uploads",
    "error_json",
    "find_rule_set",
    "result_summary",
    "rule_sets",
    "rules_root",
    "runner_payload",
    "safe_name",
]
