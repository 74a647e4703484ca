"""The vulnerability pages on the real app (real runtime, a small OSV database imported through
the door, real files): a lockfile uploaded or pasted ends in its vulnerable dependencies with
severity, fixed-in versions and the proposed upgrade; the rewritten file downloads; stored
checks are each visitor's own; code is analysed by Bandit and Semgrep. Plus the parsers of what
browsers send (hypothesis holds the zip reader and the name checks to their promises)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.api.app import create_app
from shieldwall.core.errors import InputError
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER
from shieldwall.runtime import Runtime, open_runtime
from shieldwall.web.vuln import (
    MAX_SOURCE_FILES,
    code_view,
    fix_view,
    manifest_name,
    scan_view,
    source_name,
    sources_from_zip,
)

PASSWORD = "a long enough passphrase"
DJANGO = {
    "id": "PYSEC-2021-1",
    "modified": "2024-01-01T00:00:00Z",
    "aliases": ["CVE-2021-1"],
    "summary": "SQL injection in QuerySet.order_by",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "Django"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.2"}]}],
        }
    ],
}
REQUIREMENTS = "django==3.1.9\nflask>=2\nrequests==2.31.0\n"


def _osv_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("PYSEC-2021-1.json", json.dumps(DJANGO))
    return path


def _user(runtime: Runtime, email: str) -> None:
    gate = runtime.gateway
    made = gate.invoke(
        "gateway.users.create", {"email": email, "name": "Nia", "password": PASSWORD}, LOCAL_OWNER
    ).result
    token = runtime.identities.start_email_verification(made["user_id"])
    gate.invoke("gateway.users.verify_email", {"token": token}, LOCAL_OWNER)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _sign_in(client: TestClient, email: str) -> None:
    token = _csrf(client.get("/login").text)
    done = client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def _text(html: str) -> str:
    """Text without tags (of the page's main content, when given a page)."""
    main = re.search(r"<main.*</main>", html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.group(0) if main else html))


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def advisories(runtime: Runtime, tmp_path: Path) -> None:
    path = _osv_zip(tmp_path / "PyPI.zip")
    runtime.gateway.invoke("vuln.db.import", {"paths": [str(path)]}, LOCAL_OWNER)


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime)) as c:
        yield c


# -- the pages -----------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_log_in(client: TestClient) -> None:
    page = client.get("/vuln")
    assert page.status_code == 200
    assert 'id="sign-in"' in page.text
    assert 'action="/vuln/scan"' not in page.text
    late = client.post("/vuln/scan", data={"text": "x"}, follow_redirects=False)
    assert late.headers["location"] == "/login?next=/vuln"


@pytest.mark.usefixtures("advisories")
def test_an_uploaded_lockfile_shows_its_vulnerable_dependencies_and_their_fix(
    runtime: Runtime, client: TestClient
) -> None:
    _user(runtime, "ana@clinic.example")
    _sign_in(client, "ana@clinic.example")
    page = client.get("/vuln")
    assert "PyPI" in _text(page.text.split('id="ecosystems"')[1])
    assert 'id="no-stored"' in page.text
    done = client.post(
        "/vuln/scan",
        data={"csrf_token": _csrf(page.text)},
        files={"manifest": ("requirements.txt", REQUIREMENTS.encode(), "text/plain")},
    )
    assert done.status_code == 200, done.text
    text = _text(done.text)
    assert "1 vulnerable dependency, 1 advisory" in text
    assert "3 dependencies: 2 checked, 1 could not be checked" in text
    rows = re.findall(r'<tr class="dep" data-package="([^"]+)">(.*?)</tr>', done.text, re.S)
    assert [name for name, _ in rows] == ["django"]
    row = _text(rows[0][1])
    assert "critical" in row
    assert "9.8" in row
    assert "PYSEC-2021-1" in row
    assert "CVE-2021-1" in row
    assert "SQL injection in QuerySet.order_by" in row
    assert "upgrade to 3.2" in row
    assert 'href="https://osv.dev/vulnerability/PYSEC-2021-1"' in rows[0][1]
    assert "flask requirements.txt:2 : not pinned, cannot be checked" in text
    assert "-django==3.1.9\n+django==3.2" in done.text

    fix_id = re.search(r'href="/vuln/scans/(vs_[0-9a-f]+)/files/requirements.txt"', done.text)
    assert fix_id, "no download link"
    fixed = client.get(f"/vuln/scans/{fix_id.group(1)}/files/requirements.txt")
    assert fixed.status_code == 200
    assert fixed.text == "django==3.2\nflask>=2\nrequests==2.31.0\n"
    assert fixed.headers["content-disposition"] == 'attachment; filename="requirements.txt"'
    assert client.get(f"/vuln/scans/{fix_id.group(1)}/files/other.txt").status_code == 404

    listed = client.get("/vuln")
    stored = re.findall(r'href="/vuln/scans/(vs_[0-9a-f]+)"', listed.text)
    assert len(stored) == 2  # the check and its fix plan
    kinds = {client.get(f"/vuln/scans/{s}").text.split("<h1>")[1][:14] for s in stored}
    assert kinds == {"Dependencies o", "Fix plan for <"}
    scan_page = client.get(f"/vuln/scans/{stored[-1]}")
    assert "django" in scan_page.text
    assert "critical" in scan_page.text

    client.cookies.clear()
    _user(runtime, "ben@clinic.example")
    _sign_in(client, "ben@clinic.example")
    for scan_id in stored:
        assert client.get(f"/vuln/scans/{scan_id}").status_code == 404  # not Ben's
    assert client.get("/vuln/scans/..%2Fx").status_code == 404


@pytest.mark.usefixtures("advisories")
def test_a_pasted_manifest_is_checked_under_the_name_given(
    runtime: Runtime, client: TestClient
) -> None:
    _user(runtime, "ana@clinic.example")
    _sign_in(client, "ana@clinic.example")
    token = _csrf(client.get("/vuln").text)
    done = client.post(
        "/vuln/scan",
        data={"csrf_token": token, "filename": "requirements-dev.txt", "text": "Django==3.0\n"},
    )
    assert done.status_code == 200
    assert "Dependencies of <code>requirements-dev.txt</code>" in done.text
    assert "upgrade to <strong>3.2</strong>" in done.text

    clean = client.post(
        "/vuln/scan",
        data={"csrf_token": token, "filename": "requirements.txt", "text": "django==3.2\n"},
    )
    assert "No known vulnerability" in clean.text
    assert 'id="fix"' not in clean.text  # nothing to fix: no plan asked for

    unknown = client.post(
        "/vuln/scan", data={"csrf_token": token, "filename": "notes.md", "text": "hello"}
    )
    assert unknown.status_code == 422
    assert "cannot tell what kind of manifest" in unknown.text
    assert "hello" in unknown.text  # what was pasted stays in the box
    for data, files, message in (
        ({}, None, "no lockfile or manifest was given"),
        ({"filename": "", "text": "x==1"}, None, "say which file this is"),
        ({}, {"manifest": ("requirements.txt", b"\xff\xfe\xfa", "text/plain")}, "not UTF-8"),
        ({}, {"manifest": ("requirements.txt", b"   ", "text/plain")}, "is empty"),
    ):
        bad = client.post("/vuln/scan", data={"csrf_token": token, **data}, files=files)
        assert bad.status_code == 400, message
        assert message in bad.text


def test_without_advisories_a_check_says_so(runtime: Runtime, client: TestClient) -> None:
    _user(runtime, "ana@clinic.example")
    _sign_in(client, "ana@clinic.example")
    page = client.get("/vuln")
    assert 'id="no-advisories"' in page.text
    refused = client.post(
        "/vuln/scan",
        data={"csrf_token": _csrf(page.text), "filename": "requirements.txt", "text": "a==1\n"},
    )
    assert refused.status_code >= 400
    assert 'role="alert"' in refused.text
    assert "shieldwall vuln db import" in refused.text


def test_code_is_analysed_and_patches_are_left_to_the_local_owner(
    runtime: Runtime, client: TestClient
) -> None:
    _user(runtime, "ana@clinic.example")
    _sign_in(client, "ana@clinic.example")
    page = client.get("/vuln")
    assert "shieldwall vuln patch PATH --all" in page.text
    source = b"import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
    project = io.BytesIO()
    with zipfile.ZipFile(project, "w") as zf:
        zf.writestr("app/tasks.py", source)
        zf.writestr("node_modules/x/index.js", "eval(x)")
    done = client.post(
        "/vuln/code",
        data={"csrf_token": _csrf(page.text)},
        files={"code": ("project.zip", project.getvalue(), "application/zip")},
    )
    assert done.status_code == 200, done.text
    table = done.text.split('id="code-findings"')[1].split("</table>")[0]
    assert "app/tasks.py:4" in table
    assert "CWE-78" in table
    assert "node_modules" not in done.text
    analysers = _text(done.text.split('id="analysers"')[1].split("</ul>")[0])
    assert "ran" in analysers
    stored = re.search(r"kept as <code>(vs_[0-9a-f]+)</code>", done.text)
    assert stored
    again = client.get(f"/vuln/scans/{stored.group(1)}")
    assert "app/tasks.py:4" in again.text

    not_code = client.post(
        "/vuln/code",
        data={"csrf_token": _csrf(page.text)},
        files={"code": ("notes.txt", b"hello", "text/plain")},
    )
    assert not_code.status_code == 400
    assert "is not a Python, JavaScript or TypeScript file" in not_code.text


# -- the parsers and views -----------------------------------------------------------------------


def test_member_names_stay_inside_the_project() -> None:
    assert source_name("src/app.py") == "src/app.py"
    assert source_name("./src\\app.TS") == "src/app.TS"
    for bad in ("../app.py", "/etc/app.py", "a/../../b.py", "node_modules/x/y.js", "app.txt", ""):
        assert source_name(bad) is None, bad
    assert source_name("C:/x.py") is None


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_a_zip_gives_its_source_files_only() -> None:
    got = sources_from_zip(
        _zip(
            {
                "p/a.py": b"x = 1\n",
                "p/b.js": b"\xef\xbb\xbflet y\n",
                "p/latin.py": b"\xe9\n",  # not UTF-8: left out
                "p/readme.md": b"# hi",
                "../evil.py": b"boom",
                "p/.venv/lib/c.py": b"vendored",
            }
        )
    )
    assert got == {"p/a.py": "x = 1\n", "p/b.js": "let y\n"}
    with pytest.raises(InputError):
        sources_from_zip(b"not a zip")
    many = {f"m{n}.py": b"" for n in range(MAX_SOURCE_FILES + 1)}
    with pytest.raises(InputError):
        sources_from_zip(_zip(many))


@given(st.binary(max_size=3000))
@settings(max_examples=300)
def test_any_bytes_are_a_project_or_an_input_error(data: bytes) -> None:
    try:
        got = sources_from_zip(data)
    except InputError:
        return
    assert all(source_name(name) == name for name in got)


segments = st.sampled_from(["a", "..", ".", "", "src", "node_modules", "x.py", "y.js", "C:", "\\"])
member_names = st.one_of(
    st.lists(segments, min_size=1, max_size=5).map("/".join),
    st.text(min_size=1, max_size=30),
).filter(lambda n: bool(n) and not n.endswith("/"))


@given(st.dictionaries(member_names, st.binary(max_size=40), max_size=8))
@settings(max_examples=200)
def test_any_member_names_are_kept_inside_the_project(members: dict[str, bytes]) -> None:
    try:
        data = _zip(members)
    except (ValueError, UnicodeEncodeError, IndexError):  # names zipfile cannot write
        return
    try:
        got = sources_from_zip(data)
    except InputError:
        return
    for name in got:
        assert not name.startswith("/")
        assert ".." not in name.split("/")


@given(st.text(max_size=300))
def test_any_manifest_name_is_a_plain_file_name_or_an_input_error(value: str) -> None:
    try:
        name = manifest_name(value, set())
    except InputError:
        return
    assert "/" not in name
    assert "\\" not in name
    assert not name.startswith(".")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=25,
)
shaped = st.fixed_dictionaries(
    {},
    optional={
        "dependencies": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": json_values,
                    "version": json_values,
                    "vulns": st.lists(
                        st.dictionaries(
                            st.sampled_from(["id", "level", "score", "fixed_in", "aliases"]),
                            json_values,
                        ),
                        max_size=3,
                    ),
                    "skip_reason": json_values,
                },
            ),
            max_size=4,
        ),
        "upgrades": st.lists(st.dictionaries(st.text(max_size=8), json_values), max_size=3),
        "findings": st.lists(
            st.dictionaries(st.sampled_from(["severity", "location", "cwe"]), json_values),
            max_size=3,
        ),
        "summary": json_values,
        "files": json_values,
        "after": json_values,
    },
)


@given(shaped)
@settings(max_examples=200)
def test_views_of_any_answer_are_made_leniently(data: dict[str, Any]) -> None:
    fix = fix_view(data)
    scan_view(data, fix)
    code_view(data)
