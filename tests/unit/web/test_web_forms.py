"""The parsers of what browsers send: they return plain values or raise InputError with the
field as its location, whatever arrives (hypothesis), and they never let a redirect leave."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.protect.checkup import QUESTION_IDS
from shieldwall.web.forms import (
    ANSWERS,
    MAX_DECISIONS_PAGE,
    checkup_answers,
    decision_query,
    decode_upload,
    field_text,
    parse_index,
    safe_next,
)

T = TypeVar("T")


def _attempt(parse: Callable[[], T]) -> T | InputError:
    """The parser's value, or the InputError it raised (anything else fails the test)."""
    try:
        return parse()
    except InputError as err:
        return err


values = st.one_of(st.none(), st.text(max_size=80), st.integers(), st.binary(max_size=20))


@given(st.text(max_size=600))
@settings(max_examples=500)
def test_safe_next_never_leaves_the_site(value: str) -> None:
    target = safe_next(value)
    parts = urlsplit(target)
    assert target.startswith("/")
    assert not parts.scheme
    assert not parts.netloc
    assert not target.startswith(("//", "/\\"))
    assert target == "/" or target == value


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/ok\r\nSet-Cookie: x=1",
        "/\t/evil.example",
        "",
        None,
        42,
    ],
)
def test_safe_next_refuses_other_sites(value: object) -> None:
    assert safe_next(value) == "/"


def test_safe_next_keeps_a_local_path_and_query() -> None:
    assert safe_next("/approvals?status=all") == "/approvals?status=all"


@given(st.dictionaries(st.sampled_from([*QUESTION_IDS, "other", "csrf_token"]), values))
def test_checkup_answers_are_known_questions_and_answers(form: dict[str, object]) -> None:
    answers = _attempt(lambda: checkup_answers(form, QUESTION_IDS))
    if isinstance(answers, InputError):
        assert answers.location in QUESTION_IDS
        assert form[answers.location] not in ANSWERS
        return
    assert set(answers) <= set(QUESTION_IDS)
    assert set(answers.values()) <= set(ANSWERS)
    assert all(form[q] == a for q, a in answers.items())


def test_checkup_answers_refuse_a_forged_value() -> None:
    with pytest.raises(InputError) as err:
        checkup_answers({"mfa": "maybe"}, QUESTION_IDS)
    assert err.value.location == "mfa"


@given(st.binary(max_size=2000))
@settings(max_examples=300)
def test_decode_upload_is_text_or_input_error(data: bytes) -> None:
    text = _attempt(lambda: decode_upload(data, name="eml", max_bytes=1000))
    if isinstance(text, InputError):
        assert text.location == "eml"
        assert not data.strip() or len(data) > 1000
        return
    assert isinstance(text, str)
    assert not text.startswith("\ufeff") or data.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    if data.isascii():
        assert text == data.decode()


def test_decode_upload_drops_a_bom_and_keeps_the_rest() -> None:
    assert (
        decode_upload(b"\xef\xbb\xbfFrom: a@b\n\nhi \xff", max_bytes=100)
        == "From: a@b\n\nhi \ufffd"
    )


@given(values)
def test_parse_index_is_a_natural_number_or_input_error(value: object) -> None:
    index = _attempt(lambda: parse_index(value))
    if isinstance(index, InputError):
        assert index.location == "index"
        return
    assert isinstance(value, str)
    assert index >= 0
    assert str(index) == value.strip().lstrip("0") or index == 0


@given(
    st.dictionaries(st.sampled_from(["capability", "limit", "before", "x"]), st.text(max_size=40))
)
@settings(max_examples=400)
def test_decision_query_is_bounded_or_input_error(params: dict[str, str]) -> None:
    query = _attempt(lambda: decision_query(params))
    if isinstance(query, InputError):
        assert query.location in ("capability", "limit", "before")
        return
    assert 1 <= query.limit <= MAX_DECISIONS_PAGE
    assert query.before is None or query.before >= 0
    assert query.capability is None or query.capability == params.get("capability", "").strip()


@given(st.dictionaries(st.sampled_from(["text", "other"]), values))
def test_field_text_is_stripped_bounded_text(form: dict[str, object]) -> None:
    text = _attempt(lambda: field_text(form, "text", max_chars=10))
    if isinstance(text, InputError):
        assert text.location == "text"
        return
    assert text == text.strip()
    assert 0 < len(text) <= 10
