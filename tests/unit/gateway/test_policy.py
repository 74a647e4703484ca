from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.gateway import Policy


def test_policy_errors_point_at_the_bad_field() -> None:
    with pytest.raises(ParseError) as err:
        Policy.parse(
            '{"version": 1, "rules": [{"capability": "x", "effect": "maybe"}]}', source="p.json"
        )
    assert err.value.location == "p.json:rules.0.effect"
    with pytest.raises(ParseError) as err:
        Policy.parse('{"version": 1,', source="p.json")
    assert err.value.location is not None
    assert err.value.location.startswith("p.json:1:")


@given(st.text(max_size=200))
def test_arbitrary_policy_text_fails_cleanly(text: str) -> None:
    with contextlib.suppress(ParseError):
        Policy.parse(text)
