"""The CLI contract of the foundation issue, run as a real process, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_cli
from shieldwall import __version__
from shieldwall.ledger.verify import verify_consistency, verify_inclusion


def sw(
    home: Path, *args: str, check: bool = True, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    proc = run_cli(
        home, *args, env={"SHIELDWALL_DATABASE_URL": database_url} if database_url else None
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def test_help_and_version(home: Path) -> None:
    assert "ledger" in sw(home, "--help").stdout
    assert sw(home, "--version").stdout.strip() == f"shieldwall {__version__}"
    assert not home.exists(), "--help and --version must not touch the data directory"


def test_append_checkpoint_prove_consistency_verify(home: Path, tmp_path: Path) -> None:
    first = int(sw(home, "ledger", "append", "--json", '{"k": "v"}').stdout)
    second = int(sw(home, "ledger", "append", "--json", '{"k": "w"}').stdout)
    assert second > first >= 1  # the door's decision record comes first

    note = sw(home, "ledger", "checkpoint").stdout
    lines = note.split("\n")
    size = int(lines[1])
    assert size == second + 2  # decision, record, outcome per append

    proof = json.loads(sw(home, "ledger", "prove", str(first), "--size", str(size)).stdout)
    assert set(proof) == {"index", "tree_size", "leaf_hash", "inclusion"}
    import base64

    root = base64.b64decode(lines[2])
    verify_inclusion(
        index=first,
        size=size,
        leaf_hash=bytes.fromhex(proof["leaf_hash"]),
        proof=[bytes.fromhex(h) for h in proof["inclusion"]],
        root=root,
    )

    sw(home, "ledger", "append", "--json", '{"k": "later"}')
    new_note = sw(home, "ledger", "checkpoint").stdout
    new_size = int(new_note.split("\n")[1])
    cons = json.loads(sw(home, "ledger", "consistency", str(size), str(new_size)).stdout)
    assert set(cons) == {"old_size", "new_size", "proof"}
    verify_consistency(
        old_size=size,
        new_size=new_size,
        proof=[bytes.fromhex(h) for h in cons["proof"]],
        old_root=root,
        new_root=base64.b64decode(new_note.split("\n")[2]),
    )

    key = tmp_path / "key.pub"
    key.write_text(sw(home, "ledger", "public-key").stdout)
    cp = tmp_path / "cp.txt"
    cp.write_text(new_note)
    entries = tmp_path / "entries.jsonl"
    entries.write_text(sw(home, "ledger", "entries").stdout)
    ok = sw(
        home,
        "ledger",
        "verify",
        "--public-key",
        str(key),
        "--checkpoint",
        str(cp),
        "--entries",
        str(entries),
    )
    assert f"the {new_size} entries reproduce its root" in ok.stdout

    # A checkpoint with a forged size: exit 1, and says why.
    forged = tmp_path / "forged.txt"
    forged.write_text(new_note.replace(f"\n{new_size}\n", f"\n{new_size + 1}\n", 1))
    bad = sw(
        home, "ledger", "verify", "--public-key", str(key), "--checkpoint", str(forged), check=False
    )
    assert bad.returncode == 1
    assert "does not verify" in bad.stderr

    # A truncated checkpoint: exit 1.
    cut = tmp_path / "cut.txt"
    cut.write_text(new_note[: len(new_note) // 2])
    assert (
        sw(
            home,
            "ledger",
            "verify",
            "--public-key",
            str(key),
            "--checkpoint",
            str(cut),
            check=False,
        ).returncode
        == 1
    )

    # An altered entry: the root no longer matches, exit 1.
    altered = tmp_path / "altered.jsonl"
    altered.write_text(entries.read_text().replace('"k":"w"', '"k":"x"'))
    res = sw(
        home,
        "ledger",
        "verify",
        "--public-key",
        str(key),
        "--checkpoint",
        str(cp),
        "--entries",
        str(altered),
        check=False,
    )
    assert res.returncode == 1
    assert "do not reproduce" in res.stderr


def test_verify_needs_no_data_directory(home: Path, tmp_path: Path) -> None:
    sw(home, "ledger", "append", "--json", "{}")
    (tmp_path / "k").write_text(sw(home, "ledger", "public-key").stdout)
    (tmp_path / "c").write_text(sw(home, "ledger", "checkpoint").stdout)
    elsewhere = tmp_path / "nothing-here"
    res = sw(
        elsewhere,
        "ledger",
        "verify",
        "--public-key",
        str(tmp_path / "k"),
        "--checkpoint",
        str(tmp_path / "c"),
    )
    assert res.stdout.startswith("OK")
    assert not elsewhere.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ledger", "append", "--json", '{"k": '), "not valid JSON"),
        (("ledger", "append", "--json", "[1]"), "expected a JSON object"),
        (("ledger", "prove", "99"), "is not in a tree of size"),
        (("ledger", "prove", "0", "--size", "99"), "past the log's current size"),
        (("ledger", "consistency", "0"), "no consistency proof"),
        (("ledger", "entry", "99"), "no entry 99"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    home: Path, args: tuple[str, ...], message: str
) -> None:
    sw(home, "ledger", "append", "--json", "{}")
    before = sw(home, "ledger", "checkpoint").stdout.split("\n")[1]
    res = sw(home, *args, check=False)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr
    assert "hint:" in res.stderr or "at:" in res.stderr
    after = sw(home, "ledger", "checkpoint").stdout.split("\n")[1]
    assert before == after, "a rejected command must not change the ledger"


def test_corrupted_database_exits_3_and_is_not_touched(home: Path) -> None:
    home.mkdir(parents=True)
    db = home / "shieldwall.db"
    db.write_bytes(b"this is not a database at all" * 100)
    res = sw(home, "ledger", "checkpoint", check=False)
    assert res.returncode == 3
    assert "store.corrupt" in res.stderr
    assert db.read_bytes() == b"this is not a database at all" * 100


def test_home_option_overrides_environment(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    sw(home, "--home", str(other), "ledger", "append", "--json", "{}")
    assert (other / "shieldwall.db").exists()
    assert not (home / "shieldwall.db").exists()


def test_keys_through_the_door(home: Path) -> None:
    made = sw(home, "gateway", "key", "create", "--name", "ci bot", "--tier", "2")
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("swk_")
    listing = sw(home, "gateway", "key", "list").stdout
    assert "ci bot" in listing
    assert secret not in listing
    caps = json.loads(sw(home, "gateway", "capabilities", "--json").stdout)
    assert {"ledger.append", "ledger.prove", "gateway.keys.create"} <= {c["id"] for c in caps}


def test_the_same_commands_on_either_database(home: Path, tmp_path: Path, store_url: str) -> None:
    for i in range(3):
        sw(home, "ledger", "append", "--json", f'{{"i": {i}}}', database_url=store_url)
    (tmp_path / "k").write_text(sw(home, "ledger", "public-key", database_url=store_url).stdout)
    (tmp_path / "c").write_text(sw(home, "ledger", "checkpoint", database_url=store_url).stdout)
    (tmp_path / "e").write_text(sw(home, "ledger", "entries", database_url=store_url).stdout)
    res = sw(
        home,
        "ledger",
        "verify",
        "--public-key",
        str(tmp_path / "k"),
        "--checkpoint",
        str(tmp_path / "c"),
        "--entries",
        str(tmp_path / "e"),
    )
    assert "the 9 entries reproduce its root" in res.stdout


def test_key_revoke_and_entry_commands(home: Path) -> None:
    made = sw(home, "gateway", "key", "create", "--name", "temp", "--tier", "1")
    key_id = made.stdout.strip().splitlines()[-1].split("_")[1]
    assert sw(home, "gateway", "key", "revoke", key_id).stdout.strip() == f"revoked {key_id}"
    again = sw(home, "gateway", "key", "revoke", key_id, check=False)
    assert again.returncode == 2
    assert "no live API key" in again.stderr
    first = json.loads(sw(home, "ledger", "entry", "0").stdout)
    assert first["kind"] == "decision"
    assert first["capability"] == "gateway.keys.create"


def test_serve_answers_on_the_port_it_prints(home: Path) -> None:
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SHIELDWALL_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "shieldwall", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        assert health.json()["status"] == "ok"
        assert "Shieldwall" in httpx.get(f"http://127.0.0.1:{port}/", timeout=5).text
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in err
