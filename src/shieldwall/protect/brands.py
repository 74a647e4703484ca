"""The brand registry: which domains really belong to a brand, which are link shorteners, and
where anyone can get a free e-mail address.

A bundled CSV (``data/brands.csv``) carries widely impersonated brands; an organisation adds its
own with ``shieldwall protect brands import FILE.csv`` (columns ``brand,domain[,kind]``), stored
in the ``protect_brand`` table of the data directory. IDN domains are accepted in Unicode or
punycode and kept in their ASCII (punycode) form. Entries a member pulls from a hub's feed
(``brand_feed.py``) are kept in the same table with ``added_by`` set to ``hub:<host>``, their
source; a principal id never starts with ``hub:``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from importlib import resources

import idna
from sqlalchemy import ColumnElement, Engine, and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import ParseError, StoreError
from shieldwall.store.schema import protect_brand

MAX_ROWS = 100_000
MAX_BRAND_LEN = 200
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class DomainKind(StrEnum):
    BRAND = "brand"
    SHORTENER = "shortener"
    FREEMAIL = "freemail"


@dataclass(frozen=True, slots=True, kw_only=True)
class BrandEntry:
    brand: str
    domain: str  # ASCII (punycode), lower case, no trailing dot
    kind: DomainKind = DomainKind.BRAND
    source: str = "bundled"

    def to_json(self) -> dict[str, str]:
        return {
            "brand": self.brand,
            "domain": self.domain,
            "unicode": to_unicode(self.domain),
            "kind": str(self.kind),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class BrandToken:
    """A name a look-alike may imitate: ``paypal`` for PayPal (from its name and its domains)."""

    token: str
    brand: str
    domain: str  # an official domain to name in explanations
    distinctive: bool  # False for everyday words and very short names


class DomainError(ValueError):
    """A domain name that cannot be a registrable host name (message says why)."""


def normalize_domain(text: str) -> str:
    """A domain in Unicode or punycode -> lower-case ASCII (punycode), or :class:`DomainError`."""
    name = text.strip().rstrip(".")
    if not name:
        raise DomainError("the domain is empty")
    if any(c in name for c in "/:@?# \t\\"):
        raise DomainError(f"{text!r} is not a bare domain name (no scheme, path, port or spaces)")
    if len(name) > 253:
        raise DomainError("the domain is longer than 253 characters")
    try:
        ascii_name = idna.encode(name, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        raise DomainError(f"{text!r} is not a valid domain name ({exc})") from exc
    ascii_name = ascii_name.lower()
    labels = ascii_name.split(".")
    if len(labels) < 2:
        raise DomainError(f"{text!r} has no dot; expected a domain such as example.com")
    for label in labels:
        if not _LABEL.match(label):
            raise DomainError(f"{text!r} has an invalid label {label!r}")
    if labels[-1].isdigit():
        raise DomainError(f"{text!r} looks like an IP address, not a domain")
    return ascii_name


def to_unicode(domain: str) -> str:
    """The Unicode form of an ASCII domain, for display; the input if it does not decode."""
    if "xn--" not in domain:
        return domain
    try:
        return str(idna.decode(domain))
    except (idna.IDNAError, UnicodeError, ValueError):
        return domain


def parse_brand_csv(text: str, *, source: str, max_rows: int = MAX_ROWS) -> list[BrandEntry]:
    """Rows ``brand,domain[,kind]``; '#' comments, blank lines and a header row are skipped.

    All or nothing: the first bad row raises :class:`ParseError` at ``source:line``.
    """
    entries: list[BrandEntry] = []
    seen: set[tuple[str, str, DomainKind]] = set()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 0
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not cells or not any(cells) or cells[0].startswith("#"):
                continue
            if [c.lower() for c in cells[:2]] == ["brand", "domain"] and not entries:
                continue
            entry = _parse_row(cells, source=source, line=line)
            key = (entry.brand, entry.domain, entry.kind)
            if key not in seen:
                seen.add(key)
                entries.append(entry)
                if len(entries) > max_rows:
                    raise ParseError(
                        f"more than {max_rows} rows",
                        code="protect.brands.too_many",
                        location=f"{source}:{line}",
                        hint="Split the file.",
                    )
    except csv.Error as exc:
        raise ParseError(
            f"not valid CSV: {exc}",
            code="protect.brands.bad_csv",
            location=f"{source}:{reader.line_num or line + 1}",
        ) from exc
    return entries


def _parse_row(cells: list[str], *, source: str, line: int) -> BrandEntry:
    where = f"{source}:{line}"
    hint = "Each row is brand,domain[,kind] with kind one of brand, shortener, freemail."
    if len(cells) not in (2, 3):
        raise ParseError(
            f"expected 2 or 3 columns, found {len(cells)}",
            code="protect.brands.bad_row",
            location=where,
            hint=hint,
        )
    brand = unicodedata.normalize("NFC", cells[0])
    if not brand or len(brand) > MAX_BRAND_LEN or not brand.isprintable():
        raise ParseError(
            f"the brand name must be 1 to {MAX_BRAND_LEN} printable characters",
            code="protect.brands.bad_brand",
            location=where,
            hint=hint,
        )
    kind_text = cells[2].lower() if len(cells) == 3 and cells[2] else "brand"
    try:
        kind = DomainKind(kind_text)
    except ValueError:
        raise ParseError(
            f"unknown kind {cells[2]!r}",
            code="protect.brands.bad_kind",
            location=where,
            hint=hint,
        ) from None
    try:
        domain = normalize_domain(cells[1])
    except DomainError as exc:
        raise ParseError(
            str(exc), code="protect.brands.bad_domain", location=where, hint=hint
        ) from exc
    return BrandEntry(brand=brand, domain=domain, kind=kind)


@functools.cache
def bundled_entries() -> tuple[BrandEntry, ...]:
    """The registry shipped with Shieldwall (read on first use, never at import)."""
    text = resources.files("shieldwall.protect").joinpath("data/brands.csv").read_text("utf-8")
    return tuple(parse_brand_csv(text, source="brands.csv"))


def _data_lines(name: str) -> Iterator[str]:
    text = resources.files("shieldwall.protect").joinpath(f"data/{name}").read_text("utf-8")
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line


@functools.cache
def data_words(name: str) -> frozenset[str]:
    """A bundled one-word-a-line list (comments skipped)."""
    return frozenset(line.split()[0].lower() for line in _data_lines(name))


@functools.cache
def data_table(name: str) -> tuple[tuple[str, ...], ...]:
    """A bundled whitespace-separated table (comments skipped)."""
    return tuple(
        tuple(line.split("\t") if "\t" in line else line.split()) for line in _data_lines(name)
    )


def _brand_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if c.isascii() and c.isalnum())


class BrandRegistry:
    """Lookups over a set of entries: who owns a host, is it a shortener, is it free mail."""

    def __init__(self, entries: Iterable[BrandEntry]) -> None:
        self.entries: tuple[BrandEntry, ...] = tuple(entries)
        self._owners: dict[str, list[str]] = {}
        self._shorteners: set[str] = set(data_words("shorteners.txt"))
        self._freemail: set[str] = set()
        official: dict[str, str] = {}
        for e in self.entries:
            match e.kind:
                case DomainKind.BRAND:
                    owners = self._owners.setdefault(e.domain, [])
                    if e.brand not in owners:
                        owners.append(e.brand)
                    official.setdefault(e.brand, e.domain)
                case DomainKind.SHORTENER:
                    self._shorteners.add(e.domain)
                case DomainKind.FREEMAIL:
                    self._freemail.add(e.domain)
        self._official = official
        self.tokens = self._make_tokens()

    def _make_tokens(self) -> tuple[BrandToken, ...]:
        generic = data_words("generic_tokens.txt")
        tokens: dict[str, BrandToken] = {}
        for e in self.entries:
            if e.kind is not DomainKind.BRAND:
                continue
            first = e.domain.split(".")[0]
            if first.startswith("xn--"):
                continue
            for tok in (_brand_key(e.brand), first.replace("-", "")):
                if len(tok) < 2 or tok in tokens:
                    continue
                tokens[tok] = BrandToken(
                    token=tok,
                    brand=e.brand,
                    domain=self._official[e.brand],
                    distinctive=len(tok) >= 4 and tok not in generic,
                )
        return tuple(tokens.values())

    @staticmethod
    def _suffixes(host: str) -> Iterator[str]:
        labels = host.split(".")
        for i in range(len(labels) - 1):
            yield ".".join(labels[i:])

    def owners(self, host: str) -> tuple[str, ...]:
        """The brands an official domain of which is ``host`` or a parent of it."""
        for suffix in self._suffixes(host):
            if suffix in self._owners:
                return tuple(self._owners[suffix])
        return ()

    def is_shortener(self, host: str) -> bool:
        """A link shortener hides where it leads; the most specific entry wins, so a brand's
        own short links that lead only to its site (``a.co``, ``maps.app.goo.gl`` under the
        shortener ``goo.gl``) are its official domains, not shorteners."""
        for suffix in self._suffixes(host):
            if suffix in self._owners:
                return False
            if suffix in self._shorteners:
                return True
        return False

    def is_freemail(self, domain: str) -> bool:
        return domain in self._freemail

    def official_domain(self, brand: str) -> str | None:
        return self._official.get(brand)

    def brand_names(self) -> tuple[str, ...]:
        return tuple(self._official)


HUB_PREFIX = "hub:"


def _source_of(added_by: str) -> str:
    return added_by if added_by.startswith(HUB_PREFIX) else "org"


class BrandStore:
    """Brands an organisation registered (source ``org``) and brands pulled from hubs (source
    ``hub:<host>``), in the data directory's database. Listed with the organisation's first, so
    that in a :class:`BrandRegistry` they win over a hub's."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def entries(self) -> list[BrandEntry]:
        try:
            with self._engine.connect() as conn:
                rows = conn.execute(
                    select(
                        protect_brand.c.brand,
                        protect_brand.c.domain,
                        protect_brand.c.kind,
                        protect_brand.c.added_by,
                    ).order_by(protect_brand.c.brand, protect_brand.c.domain)
                ).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the brand registry: {exc}") from exc
        found = [
            BrandEntry(
                brand=r.brand,
                domain=r.domain,
                kind=DomainKind(r.kind),
                source=_source_of(r.added_by),
            )
            for r in rows
        ]
        found.sort(key=lambda e: (e.source != "org", e.source))  # stable: keeps brand order
        return found

    def count(self, source: str) -> int:
        """How many rows ``source`` (``org`` or ``hub:<host>``) holds."""
        return sum(1 for e in self.entries() if e.source == source)

    def add(self, entries: Iterable[BrandEntry], *, added_by: str) -> int:
        """Add entries in one transaction (all or nothing); returns how many were new to the
        organisation. A row a hub had shared becomes the organisation's own, so that the hub
        removing it later does not remove it here."""
        now: datetime = self._clock.now()
        todo = list(entries)
        try:
            with self._engine.begin() as conn:
                existing = {
                    (r.brand, r.domain, r.kind): str(r.added_by)
                    for r in conn.execute(
                        select(
                            protect_brand.c.brand,
                            protect_brand.c.domain,
                            protect_brand.c.kind,
                            protect_brand.c.added_by,
                        )
                    )
                }
                new: list[dict[str, object]] = []
                adopted: list[dict[str, object]] = []
                for e in todo:
                    key = (e.brand, e.domain, str(e.kind))
                    if key not in existing:
                        new.append(
                            {
                                "brand": e.brand,
                                "domain": e.domain,
                                "kind": str(e.kind),
                                "added_by": added_by,
                                "added_at": now,
                            }
                        )
                    elif existing[key].startswith(HUB_PREFIX):
                        adopted.append(
                            {
                                "b": e.brand,
                                "d": e.domain,
                                "k": str(e.kind),
                                "by": added_by,
                                "at": now,
                            }
                        )
                    else:
                        continue
                    existing[key] = added_by
                if new:
                    conn.execute(insert(protect_brand), new)
                if adopted:
                    conn.execute(
                        update(protect_brand)
                        .where(_row_is(), protect_brand.c.added_by.like(f"{HUB_PREFIX}%"))
                        .values(added_by=bindparam("by"), added_at=bindparam("at")),
                        adopted,
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write the brand registry: {exc}") from exc
        return len(new) + len(adopted)

    def remove(
        self, domain: str, *, brand: str | None = None, kind: DomainKind | None = None
    ) -> int:
        """Remove the organisation's rows for ``domain`` (narrowed to one brand or kind);
        returns how many. Rows pulled from hubs are left to their hub's next pull."""
        query = delete(protect_brand).where(
            protect_brand.c.domain == domain, protect_brand.c.added_by.not_like(f"{HUB_PREFIX}%")
        )
        if brand is not None:
            query = query.where(protect_brand.c.brand == brand)
        if kind is not None:
            query = query.where(protect_brand.c.kind == str(kind))
        try:
            with self._engine.begin() as conn:
                return int(conn.execute(query).rowcount or 0)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write the brand registry: {exc}") from exc

    def replace_source(self, source: str, entries: Iterable[BrandEntry]) -> tuple[int, int]:
        """Make ``source``'s rows exactly ``entries`` (less rows another source already holds),
        in one transaction; returns (added, removed). Unchanged rows are not touched, so the
        same entries again write nothing."""
        if not source.startswith(HUB_PREFIX):
            raise ValueError(f"{source!r} is not a hub source")
        now: datetime = self._clock.now()
        try:
            with self._engine.begin() as conn:
                mine: set[tuple[str, str, str]] = set()
                others: set[tuple[str, str, str]] = set()
                for r in conn.execute(
                    select(
                        protect_brand.c.brand,
                        protect_brand.c.domain,
                        protect_brand.c.kind,
                        protect_brand.c.added_by,
                    )
                ):
                    (mine if r.added_by == source else others).add((r.brand, r.domain, r.kind))
                want = {(e.brand, e.domain, str(e.kind)) for e in entries} - others
                gone = sorted(mine - want)
                new = sorted(want - mine)
                if gone:
                    conn.execute(
                        delete(protect_brand).where(
                            _row_is(), protect_brand.c.added_by == bindparam("by")
                        ),
                        [{"b": b, "d": d, "k": k, "by": source} for b, d, k in gone],
                    )
                if new:
                    conn.execute(
                        insert(protect_brand),
                        [
                            {
                                "brand": b,
                                "domain": d,
                                "kind": k,
                                "added_by": source,
                                "added_at": now,
                            }
                            for b, d, k in new
                        ],
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write the brand registry: {exc}") from exc
        return len(new), len(gone)

    def clear(self) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(protect_brand))


def _row_is() -> ColumnElement[bool]:
    return and_(
        protect_brand.c.brand == bindparam("b"),
        protect_brand.c.domain == bindparam("d"),
        protect_brand.c.kind == bindparam("k"),
    )
