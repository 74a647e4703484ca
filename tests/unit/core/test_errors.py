from __future__ import annotations

from shieldwall.core.errors import ExitCode, InputError, ParseError, StoreError, VerificationError


def test_diagnostics_say_what_where_and_what_to_do() -> None:
    err = ParseError("not valid JSON", code="x.bad", location="f.json:3:7", hint="fix it")
    assert err.diagnostics() == "error[x.bad]: not valid JSON\n  at: f.json:3:7\n  hint: fix it"
    assert str(err) == "f.json:3:7: not valid JSON"


def test_exit_codes_and_statuses_follow_the_tree() -> None:
    assert InputError("x").exit_code is ExitCode.USAGE
    assert ParseError("x").http_status == 422
    assert VerificationError("x").exit_code is ExitCode.FINDINGS
    assert StoreError("x").exit_code is ExitCode.INTERNAL
