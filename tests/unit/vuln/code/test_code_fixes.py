"""Fix templates: each rewrites exactly the flagged call, and the code-patch task renders them
through the local provider (or says NO PATCH with a reason)."""

from __future__ import annotations

import ast
import json

import pytest

from shieldwall.ai.local import LocalProvider
from shieldwall.core.errors import InputError
from shieldwall.vuln.code.diff import apply_to_text, extract_diff, parse_diff
from shieldwall.vuln.code.fixes import CODE_PATCH, NO_PATCH, candidates

PY = """import sqlite3
import subprocess
import os
import hashlib
import pickle
import random
import tarfile

import requests
import yaml


def f(conn, name, x, text, data, url, path):
    subprocess.call("ls -l " + x, shell=True)
    subprocess.run(f"grep {name} /etc/passwd", shell=True, check=True)
    os.system("rm -rf " + name)
    conn.execute(f"SELECT * FROM users WHERE name = '{name}'")
    conn.execute("SELECT * FROM t WHERE a = %s AND b = '%s'" % (x, name))
    c = yaml.load(text, Loader=yaml.FullLoader)
    h = hashlib.md5(data).hexdigest()
    r = requests.get(url, verify=False, timeout=5)
    v = eval(text)
    o = pickle.loads(data)
    token = random.choice("abc")
    with tarfile.open(path) as tar:
        tar.extractall("/tmp/out")
    subprocess.run("ls | wc -l", shell=True)
"""


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("template", "needle", "expected"),
    [
        ("py-subprocess-shell", '"ls -l " + x', "subprocess.call(['ls', '-l', str(x)])"),
        (
            "py-subprocess-shell",
            "grep {name}",
            "subprocess.run(['grep', str(name), '/etc/passwd'], check=True)",
        ),
        (
            "py-os-system",
            "rm -rf",
            "subprocess.run(['rm', '-rf', str(name)], check=False).returncode",
        ),
        (
            "py-sql-params",
            "users WHERE",
            "conn.execute('SELECT * FROM users WHERE name = ?', (name,))",
        ),
        (
            "py-sql-params",
            "a = %s",
            "conn.execute('SELECT * FROM t WHERE a = ? AND b = ?', (x, name))",
        ),
        ("py-yaml-safe-load", "yaml.load", "c = yaml.safe_load(text)"),
        ("py-weak-hash", "md5", "h = hashlib.sha256(data).hexdigest()"),
        ("py-tls-verify", "verify=False", "requests.get(url, verify=True, timeout=5)"),
        ("py-eval-literal", "eval(", "v = ast.literal_eval(text)"),
        ("py-pickle-json", "pickle.loads", "o = json.loads(data)"),
        ("py-random-secrets", "random.choice", 'token = secrets.choice("abc")'),
        ("py-tar-filter", "extractall", 'tar.extractall("/tmp/out", filter="data")'),
    ],
)
def test_python_templates(template: str, needle: str, expected: str) -> None:
    first = candidates(template=template, source=PY, line=_line(PY, needle))[0]
    assert expected in first.text
    ast.parse(first.text)  # still Python
    changed = [
        (a, b) for a, b in zip(PY.splitlines(), first.text.splitlines(), strict=False) if a != b
    ]
    assert changed, "nothing changed"


def test_imports_are_added_once() -> None:
    first = candidates(template="py-eval-literal", source=PY, line=_line(PY, "eval("))[0]
    assert first.text.count("import ast\n") == 1
    again = candidates(
        template="py-eval-literal",
        source=first.text.replace("ast.literal_eval", "eval"),
        line=_line(PY, "eval(") + 1,
    )[0]
    assert again.text.count("import ast\n") == 1


def test_shell_syntax_is_not_rewritten() -> None:
    with pytest.raises(InputError, match="shell syntax"):
        candidates(template="py-subprocess-shell", source=PY, line=_line(PY, "ls | wc"))


def test_weak_hash_offers_a_second_candidate_for_non_security_uses() -> None:
    first, second = candidates(template="py-weak-hash", source=PY, line=_line(PY, "md5"))
    assert "usedforsecurity=False" in second.text
    assert first.caveat
    assert second.caveat


def test_pickle_to_json_says_it_cannot_decide() -> None:
    (only,) = candidates(template="py-pickle-json", source=PY, line=_line(PY, "pickle.loads"))
    assert only.caveat
    assert "not decidable" in only.caveat


def test_sql_without_a_known_driver_is_not_guessed() -> None:
    source = PY.replace("import sqlite3\n", "")
    with pytest.raises(InputError, match="placeholder style"):
        candidates(template="py-sql-params", source=source, line=_line(source, "users WHERE"))


@pytest.mark.parametrize(
    ("template", "line", "expected"),
    [
        ("js-text-content", "el.innerHTML = html;", "el.textContent = html;"),
        (
            "js-tls-verify",
            "new https.Agent({ rejectUnauthorized: false });",
            "rejectUnauthorized: true",
        ),
        ("js-weak-hash", "crypto.createHash('md5')", "crypto.createHash('sha256')"),
        ("js-buffer-from", "const b = new Buffer(s);", "const b = Buffer.from(s);"),
        ("js-eval-json", "const v = eval(text);", "const v = JSON.parse(text);"),
    ],
)
def test_javascript_templates(template: str, line: str, expected: str) -> None:
    source = f"function f() {{\n  {line}\n}}\n"
    assert expected in candidates(template=template, source=source, line=2)[0].text


def _ask(provider: LocalProvider, source: str, line: int, rule: str, attempt: int = 1) -> str:
    finding = {"rule": rule, "fix_template": None, "location": {"file": "m.py", "line": line}}
    payload = {"finding": finding, "source": source, "attempt": attempt}
    return provider.complete(CODE_PATCH.messages(payload)).text


def test_the_local_provider_answers_the_code_patch_task_with_a_diff() -> None:
    provider = LocalProvider(skills=(CODE_PATCH,))
    answer = _ask(provider, PY, _line(PY, "yaml.load"), "bandit.B506")
    head = json.loads(answer.partition("\n")[0].removeprefix("shieldwall-fix: "))
    assert head["template"] == "py-yaml-safe-load"
    (patch,) = parse_diff(extract_diff(answer))
    assert "yaml.safe_load(text)" in apply_to_text(PY, patch)


def test_the_local_provider_says_no_patch_when_it_has_none() -> None:
    provider = LocalProvider(skills=(CODE_PATCH,))
    assert _ask(provider, PY, 1, "bandit.B404").startswith(NO_PATCH)
    assert _ask(provider, PY, _line(PY, "yaml.load"), "bandit.B506", attempt=2).startswith(NO_PATCH)
