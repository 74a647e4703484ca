"""Vulnerable dependencies in a real browser: against a small OSV database the test imports, a
package-lock.json (with its package.json beside it) is uploaded; the page shows lodash as
vulnerable with its severity, the version that fixes it and the upgrade proposed, the diff, and
the rewritten lockfile to download; the check is kept in the visitor's list."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from e2e_support import sign_in, verified_user
from live_server import LiveServer
from playwright.sync_api import expect

from shieldwall.core.types import LOCAL_OWNER

LODASH = {
    "id": "GHSA-35jh-r3h4-6jhm",
    "modified": "2024-01-01T00:00:00Z",
    "aliases": ["CVE-2021-23337"],
    "summary": "Command injection in lodash's template",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [
        {
            "package": {"ecosystem": "npm", "name": "lodash"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}],
        }
    ],
}
PACKAGE = {
    "name": "clinic-portal",
    "version": "1.0.0",
    "dependencies": {"lodash": "^4.17.0", "ms": "2.1.3"},
}
LOCK = {
    "name": "clinic-portal",
    "version": "1.0.0",
    "lockfileVersion": 3,
    "requires": True,
    "packages": {
        "": {"name": "clinic-portal", "version": "1.0.0", "dependencies": PACKAGE["dependencies"]},
        "node_modules/lodash": {
            "version": "4.17.20",
            "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz",
        },
        "node_modules/ms": {
            "version": "2.1.3",
            "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
        },
    },
}


def test_a_lockfile_upload_shows_its_vulnerable_package_and_fix(
    server: LiveServer, tab: Any, tmp_path: Path
) -> None:
    osv = tmp_path / "npm.zip"
    with zipfile.ZipFile(osv, "w") as zf:
        zf.writestr(f"{LODASH['id']}.json", json.dumps(LODASH))
    server.runtime.gateway.invoke("vuln.db.import", {"paths": [str(osv)]}, LOCAL_OWNER)
    project = tmp_path / "portal"
    project.mkdir()
    (project / "package-lock.json").write_text(json.dumps(LOCK, indent=2) + "\n")
    (project / "package.json").write_text(json.dumps(PACKAGE, indent=2) + "\n")
    verified_user(server, "ana@clinic.example", "Ana")

    page = tab.page
    sign_in(tab, server, "ana@clinic.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Vulnerabilities").click()
    page.wait_for_url(f"{server.url}/vuln")
    expect(page.locator("#ecosystems")).to_contain_text("npm")
    expect(page.locator("#no-stored")).to_be_visible()
    page.get_by_label("Lockfile, manifest or SBOM").set_input_files(
        str(project / "package-lock.json")
    )
    page.get_by_label("Files it includes or that lie beside it").set_input_files(
        str(project / "package.json")
    )
    page.get_by_role("button", name="Check it").click()

    expect(page.locator("#scan-summary")).to_contain_text("1 vulnerable dependency, 1 advisory")
    row = page.locator('tr.dep[data-package="lodash"]')
    expect(row).to_contain_text("4.17.20")
    expect(row.locator(".sev").first).to_have_text("high")
    expect(row).to_contain_text("GHSA-35jh-r3h4-6jhm")
    expect(row).to_contain_text("CVE-2021-23337")
    expect(row).to_contain_text("Command injection in lodash's template")
    expect(row.locator("td").nth(3)).to_have_text("4.17.21")
    expect(row.locator("td.proposed")).to_contain_text("upgrade to 4.17.21")
    expect(page.locator("#vulnerable tr.dep")).to_have_count(1)  # ms is not vulnerable
    expect(page.locator("#upgrades")).to_contain_text("yes")
    expect(page.locator("#after")).to_contain_text("After the fix: 0 vulnerable dependencies")
    expect(page.locator("#diff")).to_contain_text('+      "version": "4.17.21"')
    tab.shot("vuln")

    with page.expect_download() as download:
        page.get_by_role("link", name="package-lock.json").click()
    fixed = json.loads(Path(download.value.path()).read_text())
    assert fixed["packages"]["node_modules/lodash"]["version"] == "4.17.21"
    assert download.value.suggested_filename == "package-lock.json"

    page.get_by_role("link", name="your checks").click()
    stored = page.locator("#stored-scans tbody tr")
    expect(stored).to_have_count(2)
    expect(stored.filter(has_text="fix plan")).to_contain_text("package-lock.json")
    stored.filter(has_text="dependency check").get_by_role("link").click()
    expect(page.locator('tr.dep[data-package="lodash"]')).to_contain_text("high")
    tab.assert_clean()


def test_the_new_pages_load_clean_for_anonymous_visitors(server: LiveServer, tab: Any) -> None:
    for path in ("/vuln", "/investigations", "/hub"):
        response = tab.visit(server.url + path)
        assert response.status == 200, path
        expect(tab.page.locator("h1")).to_be_visible()
        expect(tab.page.get_by_role("link", name="Log in").first).to_be_visible()
    tab.assert_clean()
