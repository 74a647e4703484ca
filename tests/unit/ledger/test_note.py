"""Signed notes and checkpoints: Go's known answer, forgeries, and arbitrary input."""

from __future__ import annotations

import base64
import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shieldwall.core.errors import InputError, VerificationError
from shieldwall.ledger.note import (
    Checkpoint,
    Signer,
    Verifier,
    load_or_create_signer,
    open_checkpoint,
    open_note,
)

# The example key and note from golang.org/x/mod/sumdb/note's documentation.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_SIG = (
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngo"
    "tpRZb6KE6RyyBwJnAM=\n"
)


def test_signing_matches_go_sumdb_note_byte_for_byte() -> None:
    signer = Signer.parse(GO_SKEY)
    assert signer.verifier.encode() == GO_VKEY
    assert signer.encode() == GO_SKEY
    assert signer.sign_note(GO_TEXT) == GO_TEXT + "\n" + GO_SIG
    assert open_note(GO_TEXT + "\n" + GO_SIG, Verifier.parse(GO_VKEY)) == GO_TEXT


@pytest.fixture
def signed() -> tuple[Signer, str]:
    signer = Signer.generate("example.org/log")
    cp = Checkpoint(origin="example.org/log", size=42, root=bytes(range(32)))
    return signer, signer.sign_note(cp.text())


def test_checkpoint_round_trip(signed: tuple[Signer, str]) -> None:
    signer, note = signed
    cp = open_checkpoint(note, signer.verifier)
    assert (cp.origin, cp.size, cp.root) == ("example.org/log", 42, bytes(range(32)))


def test_forged_size_is_rejected(signed: tuple[Signer, str]) -> None:
    signer, note = signed
    with pytest.raises(VerificationError, match="does not verify") as err:
        open_checkpoint(note.replace("\n42\n", "\n43\n"), signer.verifier)
    assert err.value.code == "ledger.bad_signature"


def test_truncated_checkpoint_is_rejected(signed: tuple[Signer, str]) -> None:
    signer, note = signed
    for cut in (len(note) - 1, len(note) - 10, note.index("\n\n"), 5, 0):
        with pytest.raises(VerificationError):
            open_checkpoint(note[:cut], signer.verifier)


def test_another_key_is_rejected(signed: tuple[Signer, str]) -> None:
    _, note = signed
    stranger = Signer.generate("example.org/log")
    with pytest.raises(VerificationError) as err:
        open_checkpoint(note, stranger.verifier)
    assert err.value.code == "ledger.unknown_signer"


def test_origin_must_be_the_key_name() -> None:
    signer = Signer.generate("a.example/log")
    note = signer.sign_note(Checkpoint(origin="b.example/log", size=1, root=bytes(32)).text())
    with pytest.raises(VerificationError, match="origin"):
        open_checkpoint(note, signer.verifier)


def test_bad_key_names_are_refused() -> None:
    for name in ("", "has space", "plus+sign"):
        with pytest.raises(InputError):
            Signer.generate(name)


def test_key_is_created_once_with_private_mode(tmp_path: Path) -> None:
    first = load_or_create_signer(tmp_path, None)
    again = load_or_create_signer(tmp_path, None)
    assert first.verifier == again.verifier
    assert (tmp_path / "signing.key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "signing.pub").read_text().strip() == first.verifier.encode()
    with pytest.raises(InputError, match="origin"):
        load_or_create_signer(tmp_path, "another.example/log")


@given(st.text(max_size=400) | st.binary(max_size=400))
def test_arbitrary_notes_never_crash(data: str | bytes) -> None:
    verifier = Verifier.parse(GO_VKEY)
    with contextlib.suppress(VerificationError):
        open_note(data, verifier)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_arbitrary_checkpoint_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        cp = Checkpoint.parse(text)
    except VerificationError:
        return
    assert Checkpoint.parse(cp.text()) == cp


@given(st.text(max_size=120))
def test_arbitrary_verifier_keys_fail_cleanly(text: str) -> None:
    with contextlib.suppress(VerificationError):
        Verifier.parse(text)


@given(st.integers(0, 2**63), st.binary(min_size=32, max_size=32))
def test_any_size_and_root_round_trip(size: int, root: bytes) -> None:
    signer = Signer.parse(GO_SKEY)
    note = signer.sign_note(Checkpoint(origin=signer.name, size=size, root=root).text())
    cp = open_checkpoint(note, signer.verifier)
    assert (cp.size, cp.root) == (size, root)
    assert base64.b64encode(root).decode() in note
