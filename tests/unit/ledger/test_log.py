"""The durable log on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from shieldwall.core.errors import InputError, NotFoundError, ParseError, StoreError
from shieldwall.ledger import tree
from shieldwall.ledger.hashing import canonical_json, leaf_hash, parse_json_object
from shieldwall.ledger.log import Ledger
from shieldwall.ledger.note import Signer, open_checkpoint
from shieldwall.ledger.verify import verify_consistency, verify_inclusion
from shieldwall.store import open_store


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    eng = open_store(store_url)
    yield eng
    eng.dispose()


@pytest.fixture
def ledger(engine: Engine) -> Iterator[Ledger]:
    log = Ledger(engine, Signer.generate("test.example/log"))
    yield log
    log.close()


def test_appends_are_numbered_and_readable(ledger: Ledger) -> None:
    assert [ledger.append({"n": i}) for i in range(5)] == [0, 1, 2, 3, 4]
    assert ledger.append_many([{"n": 5}, {"n": 6}]) == [5, 6]
    assert ledger.size() == 7
    assert json.loads(ledger.entry(6)) == {"n": 6}
    assert [json.loads(b)["n"] for b in ledger.entries(2, 5)] == [2, 3, 4]


def test_every_proof_verifies_against_every_root(ledger: Ledger) -> None:
    ledger.append_many([{"n": i} for i in range(33)])
    roots = {n: ledger.root(n) for n in range(1, 34)}
    bodies = list(ledger.entries())
    assert tree.stream_root(leaf_hash(b) for b in bodies) == (33, roots[33])
    for n in range(1, 34):
        for i in range(n):
            p = ledger.inclusion_proof(i, n)
            assert p.leaf_hash == leaf_hash(bodies[i])
            verify_inclusion(index=i, size=n, leaf_hash=p.leaf_hash, proof=p.path, root=roots[n])
        for m in range(1, n + 1):
            c = ledger.consistency_proof(m, n)
            verify_consistency(
                old_size=m, new_size=n, proof=c.path, old_root=roots[m], new_root=roots[n]
            )


def test_concurrent_appends_get_distinct_contiguous_indexes(ledger: Ledger) -> None:
    got: list[int] = []
    lock = threading.Lock()

    def worker(w: int) -> None:
        mine = [ledger.append({"w": w, "i": i}) for i in range(50)]
        with lock:
            got.extend(mine)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(800))
    _, root = tree.stream_root(leaf_hash(b) for b in ledger.entries())
    assert root == ledger.root()


def test_two_writers_on_one_database_stay_consistent(engine: Engine) -> None:
    """Two Ledger objects stand for two processes (CLI and server) sharing the file."""
    signer = Signer.generate("test.example/log")
    a, b = Ledger(engine, signer), Ledger(engine, signer)
    try:
        for i in range(20):
            (a if i % 3 else b).append({"i": i})
        assert a.size() == b.size() == 20
        _, root = tree.stream_root(leaf_hash(x) for x in a.entries())
        assert a.root() == b.root() == root
    finally:
        a.close()
        b.close()


def test_checkpoint_is_signed_and_stable_per_size(ledger: Ledger) -> None:
    ledger.append({"a": 1})
    first = ledger.checkpoint()
    assert ledger.checkpoint() == first
    cp = open_checkpoint(first, ledger._signer.verifier)
    assert (cp.size, cp.root) == (1, ledger.root())
    ledger.append({"a": 2})
    assert open_checkpoint(ledger.checkpoint(), ledger._signer.verifier).size == 2


def test_out_of_range_requests_are_input_errors(ledger: Ledger) -> None:
    ledger.append_many([{"n": i} for i in range(3)])
    with pytest.raises(InputError, match="not in a tree of size 3"):
        ledger.inclusion_proof(3)
    with pytest.raises(InputError, match="past the log's current size"):
        ledger.inclusion_proof(0, 9)
    with pytest.raises(InputError):
        ledger.consistency_proof(0, 2)
    with pytest.raises(InputError):
        ledger.consistency_proof(3, 2)
    with pytest.raises(NotFoundError):
        ledger.entry(99)


def test_entries_that_are_not_json_are_refused_and_nothing_is_written(ledger: Ledger) -> None:
    ledger.append({"ok": True})
    for bad in ({"f": float("nan")}, {"big": 2**60}, {"x": "y" * 70_000}):
        with pytest.raises(InputError):
            ledger.append(bad)
    assert ledger.size() == 1


def test_a_corrupted_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{path}")
    assert err.value.code == "store.corrupt"
    assert "Nothing was changed" in (err.value.hint or "")
    assert path.read_bytes() == before


def test_bad_json_text_names_line_and_column() -> None:
    with pytest.raises(ParseError) as err:
        parse_json_object('{"k": ', source="--json")
    assert err.value.location is not None
    assert err.value.location.startswith("--json:1:")
    with pytest.raises(ParseError, match="expected a JSON object"):
        parse_json_object("[1, 2]")


@given(st.text(max_size=200))
def test_parse_json_object_never_crashes(text: str) -> None:
    try:
        value = parse_json_object(text)
    except ParseError:
        return
    assert isinstance(value, dict)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), JSON, max_size=5))
def test_canonical_json_is_stable_under_reparsing(value: dict[str, object]) -> None:
    data = canonical_json(value)
    assert canonical_json(json.loads(data)) == data


ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=15,
)


@given(ANY_JSON)
def test_fast_canonical_json_gives_exactly_the_rfc8785_bytes(value: object) -> None:
    import rfc8785

    try:
        reference: bytes | None = bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, ValueError, TypeError):
        reference = None
    try:
        ours: bytes | None = canonical_json(value, max_bytes=1 << 30)
    except InputError:
        ours = None
    assert ours == reference


def test_fast_path_handles_the_cases_where_python_and_jcs_differ() -> None:
    import rfc8785

    tricky = [
        {"\U0001f600": 1, "\ue000": 2},  # key order: UTF-16 units versus code points
        {"n": 1.0, "m": 1e21, "s": 5e-324},  # ECMAScript number formatting
        {"big": 2**53 - 1},
        {"f": [0.0001, 0.00009999, 0.1, 2.5, 123.456, 9999999999999998.0, 1e16, 1.5e16]},
        {"ctl": '\x00\x1f\x7f\u2028"\\/'},
    ]
    for value in tricky:
        assert canonical_json(value) == bytes(rfc8785.dumps(value))


def test_deferred_appends_keep_queue_order_and_flush_waits_for_them(ledger: Ledger) -> None:
    first = ledger.append({"n": 0})
    for i in range(1, 20):
        ledger.append_later({"n": i})
    last = ledger.append({"n": 20})  # waits for its own commit, and so for those queued before
    ledger.append_later({"n": 21})
    ledger.flush()
    assert (first, last) == (0, 20)
    assert [json.loads(b)["n"] for b in ledger.entries()] == list(range(22))
    _, root = tree.stream_root(leaf_hash(b) for b in ledger.entries())
    assert root == ledger.root()


def test_a_reader_in_the_same_process_sees_what_it_deferred(engine: Engine) -> None:
    # A linger far longer than the test: only the read itself can have committed the entry.
    log = Ledger(engine, Signer.generate("test.example/log"), linger=60.0)
    try:
        log.append_later({"late": True})
        assert log.size() == 1
        assert json.loads(log.entry(0)) == {"late": True}
        other = Ledger(engine, Signer.generate("test.example/log"))
        assert other.size() == 1  # committed, so another process would see it too
        other.close()
    finally:
        log.close()


def test_close_commits_what_was_deferred(engine: Engine) -> None:
    log = Ledger(engine, Signer.generate("test.example/log"))
    log.append_later({"late": True})
    log.close()
    with pytest.raises(StoreError, match="closed"):
        log.append_later({"later": True})
    again = Ledger(engine, Signer.generate("test.example/log"))
    assert [json.loads(b) for b in again.entries()] == [{"late": True}]
    again.close()


def test_a_deferred_entry_that_is_not_json_is_refused_at_once(ledger: Ledger) -> None:
    with pytest.raises(InputError):
        ledger.append_later({"x": float("nan")})
    ledger.flush()
    assert ledger.size() == 0
