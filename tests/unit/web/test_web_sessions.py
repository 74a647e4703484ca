"""Sealed session cookies and CSRF tokens: what is accepted, and that every change is not."""

from __future__ import annotations

import base64
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import DeniedError, StoreError
from shieldwall.web.sessions import SessionCodec, WebSession, load_or_create_secret

SECRET = bytes(range(32))
KEY = "swk_0a1b2c3d4e5f_" + "s" * 43


class FakeClock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def codec(clock: FakeClock) -> SessionCodec:
    return SessionCodec(SECRET, max_age_s=3600, clock=clock)


def test_a_session_round_trips_and_hides_its_key(codec: SessionCodec) -> None:
    session = codec.new(key=KEY, name="Nia")
    cookie = codec.encode(session)
    assert codec.decode(cookie) == session
    assert "swk_" not in cookie
    assert "Nia" not in cookie
    assert KEY not in base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4)).decode("latin-1")
    assert KEY not in repr(session)
    assert codec.encode(session) != cookie  # a fresh nonce every time


def test_every_flipped_bit_is_no_session(codec: SessionCodec) -> None:
    cookie = codec.encode(codec.new(key=KEY))
    raw = bytearray(base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4)))
    for i in range(len(raw)):
        for bit in (0, 7):
            changed = bytearray(raw)
            changed[i] ^= 1 << bit
            forged = base64.urlsafe_b64encode(bytes(changed)).decode().rstrip("=")
            assert codec.decode(forged) is None, f"byte {i} bit {bit}"


def test_another_servers_cookie_is_no_session(codec: SessionCodec, clock: FakeClock) -> None:
    other = SessionCodec(b"\x01" * 32, clock=clock)
    assert codec.decode(other.encode(other.new(key=KEY))) is None


def test_sessions_expire(codec: SessionCodec, clock: FakeClock) -> None:
    cookie = codec.encode(codec.new())
    clock.moment += timedelta(seconds=3600)
    assert codec.decode(cookie) is not None
    clock.moment += timedelta(seconds=1)
    assert codec.decode(cookie) is None


def test_a_session_from_the_future_is_refused(codec: SessionCodec, clock: FakeClock) -> None:
    clock.moment += timedelta(hours=1)
    cookie = codec.encode(codec.new())
    clock.moment -= timedelta(hours=1)
    assert codec.decode(cookie) is None


@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode()))
@settings(max_examples=300, deadline=None)
def test_garbage_is_no_session_and_never_an_error(value: str) -> None:
    assert SessionCodec(SECRET).decode(value) is None


def test_csrf_token_is_bound_to_the_session(codec: SessionCodec) -> None:
    one, two = codec.new(), codec.new()
    token = codec.csrf_token(one)
    codec.check_csrf(one, token)
    for wrong in (None, "", token[:-1], codec.csrf_token(two), token + "A"):
        with pytest.raises(DeniedError) as err:
            codec.check_csrf(one, wrong)
        assert err.value.code == "web.csrf"
        assert err.value.hint


def test_signing_in_changes_the_csrf_token(codec: SessionCodec) -> None:
    before = codec.new()
    after = codec.new(key=KEY)
    with pytest.raises(DeniedError):
        codec.check_csrf(after, codec.csrf_token(before))


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        SessionCodec(b"short")


def test_secret_is_made_once_private_and_kept(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path / "web")
    assert len(first) == 32
    assert load_or_create_secret(tmp_path / "web") == first
    mode = stat.S_IMODE(os.stat(tmp_path / "web" / "session.key").st_mode)
    assert mode == 0o600
    assert [p.name for p in (tmp_path / "web").iterdir()] == ["session.key"]


def test_a_damaged_secret_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "session.key").write_text("not hex\n")
    with pytest.raises(StoreError) as err:
        load_or_create_secret(tmp_path)
    assert err.value.code == "web.bad_secret"
    assert "Delete the file" in (err.value.hint or "")


def test_sessions_carry_no_more_than_they_say() -> None:
    session = WebSession(sid="x" * 32, issued_at=0)
    assert not session.signed_in
    assert WebSession(sid="x" * 32, issued_at=0, key=KEY).signed_in
