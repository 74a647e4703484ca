"""The e-mail checker on hand-written messages: pairs that only headers, domains and links can
separate, each warning sign on its own, the parser's limits, and arbitrary bytes."""

from __future__ import annotations

import contextlib
import io
import zipfile
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.email import EmailError, check_email, parse_email
from shieldwall.protect.textmodel import TextModel, bundled_model
from shieldwall.protect.verdict import Verdict

REGISTRY = BrandRegistry(bundled_entries())

NOTICE = (
    "Dear customer,\n\nYour monthly statement is ready. You can view it in online banking "
    "or in the Barclays app.\n\nBarclays"
)
NOTICE_HTML = (
    "<p>Dear customer,</p><p>Your monthly statement is ready. View it in "
    '<a href="{href}">{text}</a> or in the Barclays app.</p><p>Barclays</p>'
)


def _mail(
    *,
    sender: str,
    auth: str | None,
    href: str,
    text: str = "online banking",
    reply_to: str | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "alex@example.org"
    msg["Subject"] = "Your statement is ready"
    if reply_to:
        msg["Reply-To"] = reply_to
    if auth is not None:
        msg["Authentication-Results"] = auth
    msg.set_content(NOTICE)
    msg.add_alternative(NOTICE_HTML.format(href=href, text=text), subtype="html")
    return bytes(msg)


def signals(raw: bytes) -> dict[str, str]:
    a = check_email(raw, registry=REGISTRY, model=None)
    return {r.signal: r.detail for r in a.reasons}


def test_the_real_bank_notice_is_safe() -> None:
    raw = _mail(
        sender="Barclays <statements@barclays.co.uk>",
        auth="mx.example.org; spf=pass smtp.mailfrom=barclays.co.uk; dkim=pass; dmarc=pass "
        "header.from=barclays.co.uk",
        href="https://www.barclays.co.uk/online-banking/",
    )
    a = check_email(raw, registry=REGISTRY, model=bundled_model())
    assert a.verdict is Verdict.SAFE, a.reasons
    assert any(r.signal == "official_sender" for r in a.reasons)


def test_the_lookalike_bank_notice_names_the_lookalike_domain() -> None:
    raw = _mail(
        sender="Barclays <statements@barclyas.co.uk>",
        auth="mx.example.org; spf=pass smtp.mailfrom=barclyas.co.uk; dkim=pass; dmarc=pass "
        "header.from=barclyas.co.uk",
        href="https://secure.barclyas.co.uk/online-banking/",
    )
    a = check_email(raw, registry=REGISTRY, model=bundled_model())
    assert a.verdict is Verdict.DANGEROUS
    found = {r.signal: r.detail for r in a.reasons}
    assert "sender_brand_mismatch" in found
    assert "barclyas.co.uk" in found["sender_brand_mismatch"]
    assert "sender.lookalike_domain" in found
    assert "barclays" in found["sender.lookalike_domain"]
    assert "official_sender" not in found


def test_spoofed_sender_caught_by_the_receiving_servers_report() -> None:
    raw = _mail(
        sender="Barclays <statements@barclays.co.uk>",
        auth="mx.example.org; spf=fail smtp.mailfrom=barclays.co.uk; dkim=none; dmarc=fail "
        "header.from=barclays.co.uk",
        href="https://www.barclays.co.uk/online-banking/",
    )
    found = signals(raw)
    assert "auth_dmarc_fail" in found
    assert "auth_spf_fail" in found
    assert "official_sender" not in found
    assert check_email(raw, registry=REGISTRY).flagged


def test_link_text_shows_one_site_and_goes_to_another() -> None:
    raw = _mail(
        sender="Barclays <statements@barclays.co.uk>",
        auth=None,
        href="http://statement-view.example.net/login",
        text="https://www.barclays.co.uk/online-banking",
    )
    found = signals(raw)
    assert "link_text_mismatch" in found
    assert "example.net" in found["link_text_mismatch"]
    assert "brand_link_mismatch" in found


def test_display_name_shows_another_address_and_reply_to_goes_to_freemail() -> None:
    raw = _mail(
        sender='"support@barclays.co.uk" <x93@mailer-blast.example.com>',
        auth=None,
        href="https://www.barclays.co.uk/",
        reply_to="barclays.help@gmail.com",
    )
    found = signals(raw)
    assert "display_name_address" in found
    assert "x93@mailer-blast.example.com" in found["display_name_address"]
    assert "reply_to_elsewhere" in found
    assert "gmail.com" in found["reply_to_elsewhere"]


def _with_attachment(name: str, data: bytes, maintype: str, subtype: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Accounts <accounts@example.com>"
    msg["To"] = "alex@example.org"
    msg["Subject"] = "Invoice"
    msg.set_content("Please find the invoice attached.")
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(msg)


def test_html_attachment_with_a_password_form() -> None:
    page = b'<form action="https://x.example/p"><input type="password" name="p"></form>'
    found = signals(_with_attachment("invoice.html", page, "text", "html"))
    assert "attachment_password_form" in found
    assert "invoice.html" in found["attachment_password_form"]


@pytest.mark.parametrize("name", ["scan.iso", "photo.lnk", "payment.js", "Q3.xlsm", "a.vbs"])
def test_dangerous_attachment_types(name: str) -> None:
    raw = _with_attachment(name, b"\x00" * 64, "application", "octet-stream")
    found = signals(raw)
    assert "dangerous_attachment" in found
    assert name in found["dangerous_attachment"]
    assert check_email(raw, registry=REGISTRY).flagged


def test_archive_holding_a_script_and_a_double_extension() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("invoice.pdf.js", "WScript.Echo(1)")
    found = signals(_with_attachment("invoice.pdf.zip", buf.getvalue(), "application", "zip"))
    assert "archive_dangerous" in found
    assert "invoice.pdf.js" in found["archive_dangerous"]
    assert "double_extension" in found


def test_a_plain_pdf_attachment_is_not_a_warning() -> None:
    raw = _with_attachment("invoice.pdf", b"%PDF-1.4\n", "application", "pdf")
    assert check_email(raw, registry=REGISTRY).verdict is Verdict.SAFE


def test_too_large() -> None:
    with pytest.raises(EmailError) as err:
        parse_email(b"Subject: x\n\n" + b"a" * 2000, max_bytes=1000)
    assert err.value.code == "protect.email.too_large"


def _nested(depth: int) -> bytes:
    inner = EmailMessage()
    inner["Subject"] = "leaf"
    inner.set_content("hello")
    for _ in range(depth):
        outer = EmailMessage()
        outer["Subject"] = "wrap"
        outer.make_mixed()
        outer.attach(inner)
        inner = outer
    inner["From"] = "a@example.com"
    return bytes(inner)


def test_too_deep() -> None:
    parse_email(_nested(5))
    with pytest.raises(EmailError) as err:
        parse_email(_nested(15))
    assert err.value.code == "protect.email.too_deep"


def test_too_many_parts() -> None:
    msg = EmailMessage()
    msg["From"] = "a@example.com"
    msg["Subject"] = "many"
    msg.set_content("x")
    for i in range(250):
        msg.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=f"{i}")
    with pytest.raises(EmailError) as err:
        parse_email(bytes(msg))
    assert err.value.code == "protect.email.too_many_parts"


def test_not_an_email() -> None:
    with pytest.raises(InputError):
        check_email(b"   ", registry=REGISTRY)
    with pytest.raises(InputError):
        check_email(b"just some words, no headers at all", registry=REGISTRY)


def test_json_shape() -> None:
    raw = _with_attachment("a.js", b"x", "application", "octet-stream")
    body = check_email(raw, registry=REGISTRY).to_json()
    assert set(body) >= {"verdict", "score", "reasons", "advice", "email"}
    assert body["email"]["attachments"] == ["a.js"]
    assert all(set(r) == {"signal", "detail", "weight"} for r in body["reasons"])


MODEL: TextModel | None = bundled_model()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        a = check_email(data, registry=REGISTRY, model=MODEL)
    except InputError:
        return
    assert 0.0 <= a.score <= 1.0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                b"From: =?utf-8?q?=E2=80=AE?= <a@b>\n",
                b"Content-Type: multipart/mixed; boundary=b\n",
                b"Content-Type: text/html; charset=bogus-42\n",
                b"Content-Transfer-Encoding: base64\n",
                b"Authentication-Results: x; dmarc=fail\n",
                b"Reply-To: <<@@>>\n",
                b"\n--b\n",
                b"\n--b--\n",
                b'<a href="http://[::1">x</a><form><input type=password>',
                b"Content-Disposition: attachment; filename*=utf-8''%FF%FE.js\n",
                b"\n",
                b"\xff\xfe\x00",
            ]
        ),
        max_size=40,
    )
)
def test_hostile_mime_fragments_never_crash(pieces: list[bytes]) -> None:
    with contextlib.suppress(InputError):
        check_email(b"".join(pieces), registry=REGISTRY, model=MODEL)
