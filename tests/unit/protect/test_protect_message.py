"""Text-message checks: smishing patterns, links in the text, and the sender."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.message import check_message, extract_links
from shieldwall.protect.textmodel import TextModel
from shieldwall.protect.verdict import Verdict

REGISTRY = BrandRegistry(bundled_entries())


def signals(text: str, sender: str | None = None) -> dict[str, str]:
    return {
        r.signal: r.detail for r in check_message(text, registry=REGISTRY, sender=sender).reasons
    }


def verdict(text: str, sender: str | None = None) -> Verdict:
    return check_message(text, registry=REGISTRY, sender=sender).verdict


# (legitimate, scam) pairs on the same topic: only the links and the asks separate them
PAIRS = [
    (
        "USPS: Your package was delivered at 2:14 pm. Track: https://tools.usps.com/go/Track",
        "USPS: Your package is on hold due to an incomplete address. Update here: "
        "https://usps-redelivery-help.top/track",
    ),
    (
        "Your Amazon order #112-33 has shipped. Details: https://www.amazon.com/orders",
        "Amazon: your account is locked after unusual sign-in activity. Verify your account at "
        "amazon-account-verify.com within 24 hours",
    ),
    (
        "Your verification code is 482913. Do not share it with anyone.",
        "Hi, I sent you a code by mistake, can you send me the code back please?",
    ),
    (
        "E-ZPass: your statement is ready in the app.",
        "Toll Services: You have an unpaid toll balance of $4.15. Pay now to avoid a late fee: "
        "ezdrive-toll.com/pay",
    ),
    (
        "Hi mum, I'll be home by 7, can you save me some dinner?",
        "Hi mum, this is my new number, my phone broke. Can you send me money for a bill?",
    ),
]


@pytest.mark.parametrize(("legit", "scam"), PAIRS)
def test_pairs(legit: str, scam: str) -> None:
    assert verdict(legit) is Verdict.SAFE, signals(legit)
    assert verdict(scam) is not Verdict.SAFE, signals(scam)


def test_a_brand_named_in_the_text_but_linked_elsewhere_is_explained() -> None:
    found = signals("Wells Fargo: unusual activity on your debit card. Verify at wf-secure.info/x")
    assert "brand_link_mismatch" in found
    assert "Wells Fargo" in found["brand_link_mismatch"]
    assert "wf-secure.info" in found["brand_link_mismatch"]
    assert "wellsfargo.com" in found["brand_link_mismatch"]
    assert "bank_alert" in found


def test_a_brands_own_short_link_is_its_site_not_a_hidden_destination() -> None:
    found = signals("Amazon: your parcel was delivered. Delivery photo: https://a.co/d/8kQp2Wz")
    assert "brand_link_mismatch" not in found
    assert "link.shortener" not in found
    pin = signals("Here's the pin for Saturday https://maps.app.goo.gl/fR9wZ2kTqL7cYx3mA")
    assert "link.shortener" not in pin
    # 'maps' is a word, not a claim to be Google: no brand in an old goo.gl/maps/ link's path.
    assert "link.brand_in_path" not in signals("The rink is here https://goo.gl/maps/Xk3Tq9mPz")
    # The same wording behind a link shortener anyone can use is still explained.
    hidden = signals("Amazon: your parcel was delivered. Delivery photo: https://bit.ly/3xYz9Qa")
    assert "short link" in hidden["brand_link_mismatch"]
    assert "link.shortener" in hidden


def test_link_reasons_are_carried_into_the_message_verdict() -> None:
    found = signals("PayPal: confirm your details at paypa1.com")
    assert "link.lookalike_domain" in found
    assert found["link.lookalike_domain"].startswith("Link paypa1.com:")
    assert verdict("PayPal: confirm your details at paypa1.com") is Verdict.DANGEROUS


def test_a_free_mail_sender_claiming_a_brand() -> None:
    found = signals("PayPal: your account is limited.", sender="paypal.support@gmail.com")
    assert "sender_freemail" in found
    assert "gmail.com" in found["sender_freemail"]


def test_wrong_number_openers() -> None:
    assert "wrong_number" in signals("Hello, is this Sarah? We met at the conference.")
    assert "wrong_number" not in signals("I just got home babe, are you still awake?")


def test_extract_links() -> None:
    text = (
        "go to usps.com-track.top/x, or www.example.com. Also hxxp://bad[.]com/x and "
        "\u0430pple.com! Not e.g. or 3.50 or Mr.Smith or WWW.ADR"
    )
    assert extract_links(text) == [
        "usps.com-track.top/x",
        "www.example.com",
        "hxxp://bad[.]com/x",
        "\u0430pple.com",
    ]


def test_empty_and_huge_messages_are_input_errors() -> None:
    with pytest.raises(InputError):
        check_message("   ", registry=REGISTRY)
    with pytest.raises(InputError):
        check_message("x" * 20_001, registry=REGISTRY)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=400), st.none() | st.text(max_size=60))
def test_any_text_gives_a_verdict(text: str, sender: str | None) -> None:
    try:
        a = check_message(text, registry=REGISTRY, sender=sender)
    except InputError:
        assert not text.strip()
        return
    assert 0.0 <= a.score <= 1.0


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Your",
                "parcel",
                "is",
                "held",
                "pay",
                "https://",
                "bit.ly/",
                "x.top",
                "@",
                ".",
                "code",
                "send",
                "me",
                "\u0430pple.com",
                "www.",
                "verify",
                "account",
                "[.]",
                "/",
                "!",
            ]
        ),
        min_size=1,
        max_size=30,
    )
)
def test_link_heavy_text_never_crashes(words: list[str]) -> None:
    check_message(" ".join(words) + " ok", registry=REGISTRY)


# Spanish, French, German and Portuguese: (legitimate, scam, the signal the scam must raise).
# Written with and without accents, as people type them.
INTL = [
    (
        "Hola, ¿quedamos mañana? Te llevo el paquete que me dejaste.",
        "Correos: su paquete está retenido en aduana. Pague la tasa de 1,99 EUR en "
        "correos-aduana.top/pago",
        "parcel_fee",
    ),
    (
        "Salut, le colis de maman est bien arrivé, merci !",
        "Chronopost : votre colis est en attente, des frais de livraison de 1,50 EUR restent a "
        "regler sur chrono-suivi.info/x",
        "parcel_fee",
    ),
    (
        "Hallo, das Paket ist angekommen, danke dir!",
        "DHL: Ihr Paket wurde zurückgehalten. Zollgebühr von 2,99 EUR bitte hier bezahlen: "
        "dhl-zoll.top/p",
        "parcel_fee",
    ),
    (
        "Oi, a encomenda chegou hoje, obrigado!",
        "CTT: a sua encomenda está retida. Pague a taxa alfandegária em ctt-encomenda.top/pt",
        "parcel_fee",
    ),
    (
        "El peaje de la AP-7 ya está incluido en el presupuesto del viaje.",
        "Aviso: tiene un peaje pendiente de pago. Evite recargos en autopista-pago.top",
        "toll_due",
    ),
    (
        "On partage les frais de péage pour le week-end ?",
        "Péage impayé : réglez 6,40 EUR sous 24h sur ulys-peage.top",
        "toll_due",
    ),
    (
        "Die Maut für Österreich habe ich schon online gekauft.",
        "Ihre Mautgebühr ist noch unbezahlt. Jetzt zahlen: maut-service.top/zahlen",
        "toll_due",
    ),
    (
        "Via Verde: o extrato de outubro já está disponível na app.",
        "Via Verde: tem portagens em atraso. Regularize em viaverde-pagamentos.top",
        "toll_due",
    ),
    (
        "BBVA: has recibido una transferencia de 50,00 EUR. Consulta tu app.",
        "BBVA: su cuenta ha sido bloqueada por actividad sospechosa. Verifique sus datos en "
        "bbva-seguridad.top",
        "bank_alert",
    ),
    (
        "Crédit Agricole : votre relevé de compte est disponible dans votre espace.",
        "Credit Agricole: votre compte a ete suspendu suite a une connexion inhabituelle. "
        "Cliquez ici : ca-securite.top",
        "bank_alert",
    ),
    (
        "Sparkasse: Ihr Kontoauszug steht im Online-Banking bereit.",
        "Sparkasse: Ihr Konto wurde gesperrt. Bitte bestätigen Sie Ihre Daten: "
        "sparkasse-sicherheit.top",
        "bank_alert",
    ),
    (
        "Nubank: sua fatura de outubro fechou. Veja no app.",
        "Nubank: sua conta foi bloqueada por atividade suspeita. Atualize seus dados em "
        "nubank-seguro.top",
        "bank_alert",
    ),
    (
        "Tu código de verificación es 482913. No lo compartas con nadie.",
        "Hola, te envié un código por error a tu número, ¿me lo puedes reenviar?",
        "code_request",
    ),
    (
        "Votre code de vérification est 482913. Ne le communiquez à personne.",
        "Bonjour, je vous ai envoyé un code par erreur, pouvez-vous me le transmettre ?",
        "code_request",
    ),
    (
        "Ihr Code lautet 482913. Geben Sie diesen Code niemals weiter.",
        "Hallo, ich habe dir aus Versehen einen Code geschickt, kannst du ihn mir weiterleiten?",
        "code_request",
    ),
    (
        "Seu código de verificação é 482913. Nunca compartilhe este código.",
        "Oi, mandei um código para você por engano, pode me enviar?",
        "code_request",
    ),
    (
        "Hola mamá, llego a casa a las ocho.",
        "Hola mamá, este es mi número nuevo, se me rompió el móvil. ¿Me puedes hacer una "
        "transferencia urgente?",
        "family_emergency",
    ),
    (  # 'ameli' (the French health insurer) is a word, not the start of 'Amelia'
        "Amelia a mis les photos du mariage en ligne : https://www.flickr.com/photos/ameliaandtom",
        "Ameli : un remboursement de 48,20 EUR est en attente. Confirmez vos informations : "
        "https://ameli-remboursement.info",
        "refund_benefit",
    ),
    (
        "Hallo Mama, ich komme am Sonntag zum Essen.",
        "Hallo Mama, das ist meine neue Nummer, mein Handy ist kaputt. Kannst du eine "
        "Rechnung für mich bezahlen?",
        "family_emergency",
    ),
]


@pytest.mark.parametrize(("fine", "scam", "signal"), INTL)
def test_scams_in_other_languages(fine: str, scam: str, signal: str) -> None:
    assert verdict(fine) is Verdict.SAFE, signals(fine)
    assert signal in signals(scam)
    assert verdict(scam) is not Verdict.SAFE, signals(scam)


def test_other_language_patterns_explain_in_the_same_words() -> None:
    es = signals("Su paquete está retenido en aduana.")
    en = signals("Your parcel is held at customs.")
    assert es["parcel_fee"] == en["parcel_fee"]


def test_the_sms_language_model_speaks_for_english_texts_only() -> None:
    from shieldwall.protect.message import looks_english
    from shieldwall.protect.textmodel import bundled_model

    model = bundled_model("sms")
    assert model is not None
    scam = (
        "Congratulations! You have been selected to receive a $500 reward. Claim it now before "
        "it expires, reply YES to confirm your details."
    )
    found = {
        r.signal: r.weight for r in check_message(scam, registry=REGISTRY, model=model).reasons
    }
    assert found.get("scam_language", 0) > 0
    spanish = "Enhorabuena, has sido seleccionado para recibir una recompensa de 500 euros hoy."
    assert looks_english(scam)
    assert not looks_english(spanish)
    reasons = check_message(spanish, registry=REGISTRY, model=model).reasons
    assert "scam_language" not in {r.signal for r in reasons}
    chat = "Are we still on for dinner at 7? I can pick you up on the way."
    assert check_message(chat, registry=REGISTRY, model=model).verdict is Verdict.SAFE


def test_a_full_stop_without_its_space_is_not_a_link() -> None:
    # 'KB.To buy' and 'End.You will' read as addresses under the .to and .you endings.
    text = "You have used up your data.Browsing costs 5k/KB.To buy a plan text HELP. The End.You"
    assert extract_links(text) == []
    assert extract_links("Visit PocketBabe.co.uk or Amazon.Com or WWW.EXAMPLE.COM now") == [
        "PocketBabe.co.uk",
        "Amazon.Com",
        "WWW.EXAMPLE.COM",
    ]


def test_a_link_to_a_named_company_is_not_a_mismatch_for_another_name() -> None:
    # The card was used at Apple; the link is the bank's own site: nothing is mismatched.
    text = (
        "Nationwide: your debit card was used at the Apple online store for 1976.00 GBP. If this "
        "was not you, see https://www.nationwide.co.uk/"
    )
    found = signals(text)
    assert "brand_link_mismatch" not in found
    scam = (
        "Nationwide: your debit card was used at the Apple online store for 1976.00 GBP. If this "
        "was not you, see https://nationwide-card-check.top/"
    )
    assert "Nationwide" in signals(scam)["brand_link_mismatch"]


def test_scam_wording_with_a_link_elsewhere_is_acting_through_the_link() -> None:
    from shieldwall.protect.textmodel import bundled_model

    model = bundled_model("sms")
    assert model is not None
    # No pattern matches this wording: only the language model reads it as a scam.
    lure = "Dear customer, your KYC has expired. Complete your KYC today"
    assert check_message(f"{lure}: kyc-desk.com/r/8x2k", registry=REGISTRY).reasons == ()
    scam = check_message(f"{lure}: kyc-desk.com/r/8x2k", registry=REGISTRY, model=model)
    reasons = {r.signal for r in scam.reasons}
    assert {"scam_language", "act_through_link"} <= reasons
    assert scam.verdict is not Verdict.SAFE
    plain = check_message(lure, registry=REGISTRY, model=model)
    assert "act_through_link" not in {r.signal for r in plain.reasons}
    assert plain.verdict is Verdict.SAFE
    chat = "Here are the photos from Saturday: https://photos.example-family.net/album/7"
    assert check_message(chat, registry=REGISTRY, model=model).verdict is Verdict.SAFE


def test_clipped_english_is_english_and_other_languages_are_not() -> None:
    from shieldwall.protect.message import looks_english

    assert looks_english("FREE2DAY sexy pic of Jordan! Txt PIC to 89080 dont miss out")
    assert looks_english("YOU VE WON! 4* Costa Del Sol Holiday or 6000 await collection")
    assert not looks_english("Uw ING bankieren app bevat verouderde plugins, klik hieronder")
    assert not looks_english("Votre colis est en attente, payez les frais avec votre carte")
    assert not looks_english("ok lar")


def test_link_words_describe_each_link_for_the_model() -> None:
    from shieldwall.protect.message import link_words

    short = link_words("Pay the fee at bit.ly/3xYz now", REGISTRY).split()
    assert {"urltok", "linkshortener", "linkbare", "linkpath"} <= set(short)
    assert "bit.ly/3xYz" not in short
    official = link_words("Track it on https://www.paypal.com", REGISTRY).split()
    assert {"urltok", "linkofficialdomain", "linkscheme", "linknopath"} <= set(official)
    odd = link_words("Update here: usps-h3lp.top/x", REGISTRY).split()
    assert {"linkhyphenname", "linkdigitname", "linksuspicioustld"} <= set(odd)
    assert link_words("No links in this one.", REGISTRY) == "No links in this one."


def _one_feature_model(feature: str, *, links: str | None) -> TextModel:
    """A model that knows one feature of the masked text: a large weight on it, bias -6."""
    from array import array

    from shieldwall.protect.textmodel import hashed

    dim = 1 << 16
    weights = array("d", [0.0] * dim)
    ((idx, value),) = hashed([feature], dim)
    weights[idx] = 400.0 if value > 0 else -400.0  # times 1/sqrt(number of features)
    meta = {"links": links} if links else {}
    return TextModel(dim=dim, weights=weights, bias=-6.0, threshold=0.5, meta=meta)


def test_a_model_trained_on_link_words_reads_the_links_that_way() -> None:
    text = "Please see the details at bit.ly/3xYz today"
    for links, expected in (("words", True), (None, False)):
        model = _one_feature_model("linkshortener", links=links)
        reasons = {r.signal for r in check_message(text, registry=REGISTRY, model=model).reasons}
        assert ("scam_language" in reasons) is expected


def test_scam_wording_with_a_number_to_call_is_acting_through_the_phone() -> None:
    scam = (
        "Amazon: was this you? A purchase of an iPhone 14 for $999 was made on your account. "
        "If you did not make this purchase call 1-888-555-0199."
    )
    found = signals(scam)
    assert {"not_you", "act_through_phone"} <= set(found)
    assert verdict(scam) is not Verdict.SAFE
    assert "act_through_phone" not in signals("Call me on 555-201-3344 when you land, love")
    assert verdict("Did you get the tickets? Call me on 555 201 3344") is Verdict.SAFE
    # a code or a balance is not a number to call
    assert "act_through_phone" not in signals(
        "If you did not make this purchase, balance as at 2014-04-12 21:19 is 10 MB"
    )


NEW_PATTERNS = [
    (
        "Your refund of $40 has been paid back to your card.",
        "You have an unclaimed refund of $312.40. Claim your refund at refund-gov-help.com/c",
        "unclaimed_money",
    ),
    (
        "Thanks, your payment of $54.20 was received. Your next bill is due on 3 May.",
        "Your payment for the Netflix subscription failed. Update it at nflx-billing.net/u",
        "bill_problem",
    ),
    (
        "We will be working on the water mains on Friday; expect low pressure in the morning.",
        "FINAL NOTICE: your power will be disconnected in 30 minutes. Call 1-877-555-0123",
        "bill_problem",
    ),
    (
        "Did you see the match last night?",
        "Chase Fraud: did you attempt a purchase of $1,200 at Walmart? Reply YES or NO",
        "not_you",
    ),
]


@pytest.mark.parametrize(("fine", "scam", "signal"), NEW_PATTERNS)
def test_modern_smishing_patterns(fine: str, scam: str, signal: str) -> None:
    assert signal in signals(scam)
    assert signal not in signals(fine)
    assert verdict(fine) is Verdict.SAFE


# Legitimate texts with links, written by hand (friends, appointments, deliveries, bills): the
# SMS training sets have almost none, so these guard against a model that reads any link as a scam.
LEGIT_WITH_LINKS = (
    "Here are the photos from Saturday: https://photos.example-family.net/album/7",
    "The recipe I told you about: https://www.bbcgoodfood.com/recipes/lasagne",
    "Your table is booked for 7pm. Details: https://www.opentable.com/r/abc",
    "See you there https://maps.app.goo.gl/xyz",
    "Your appointment with Dr Patel is on Tue at 9:40. To reschedule visit https://patient-portal.example-clinic.org/r/55",
    "Watch this lol https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "Your order has shipped! Track it: https://track.example-shop.com/t/81723",
    "Amazon: your package was delivered. Track at https://www.amazon.com/progress-tracker/package/ref",
    "UPS: Your package is scheduled for delivery tomorrow. Details: https://www.ups.com/track?tracknum=1Z999",
    "USPS: your item was delivered in or at the mailbox at 1:12 pm. https://tools.usps.com/go/TrackConfirmAction",
    "Hey did you see this? https://www.bbc.co.uk/news/uk-politics-12345678",
    "Reminder: parents evening is on Thursday from 4pm. Book a slot at https://www.schoolcloud.co.uk/stmarys",
    "Your prescription is ready for collection at Boots, High Street. https://www.boots.com/stores",
    "Thanks for your order at Luigi's! Track your delivery: https://luigis-pizza.co.uk/track/5521",
    "Your Lyft driver Sam is arriving in a silver Prius. Share your ride: https://lyft.com/share/abc123",
    "Hi, it's Jane from the book club. This month's pick: https://www.goodreads.com/book/show/12345",
    "lol look at this https://www.instagram.com/p/Cxyz123/",
    "Your boarding pass for BA 117 is ready: https://www.britishairways.com/travel/boardingpass",
    "Your energy bill for March is ready to view at https://www.octopus.energy/dashboard",
    "Meeting moved to room 4B, agenda here https://docs.google.com/document/d/1abcDEF/edit",
    "Can you fill in this form for the trip by Friday? https://forms.gle/AbC123xyz",
    "Your Netflix membership was renewed. Manage at https://www.netflix.com/youraccount",
    "Your GP surgery: flu jabs are available, book online at https://www.nhs.uk/nhs-app/",
    "Found the flat listing I mentioned: https://www.rightmove.co.uk/properties/123456",
    "Council: your bin collection moves to Tuesday next week. Details https://www.leeds.gov.uk/bins",
    "Your Uber receipt for this trip is at https://riders.uber.com/trips/abc",
    "Congrats on the new job!! Here's the playlist for Saturday "
    "https://open.spotify.com/playlist/37i9dQ",
    "Hi Tom, the invoice for the plumbing job is here https://app.example-invoices.com/inv/4471 "
    "thanks, Dave",
    "Your dentist appointment is confirmed for 3 May at 10:00. Directions: https://goo.gl/maps/abc",
    "Match tickets are on sale from 9am: https://www.eticketing.co.uk/arsenal",
)


def _flagged(texts: tuple[str, ...]) -> list[str]:
    """The texts the checker flags, with the shipped SMS model."""
    from shieldwall.protect.textmodel import bundled_model

    model = bundled_model("sms")
    return [t for t in texts if check_message(t, registry=REGISTRY, model=model).flagged]


def test_legitimate_texts_with_links_are_mostly_safe() -> None:
    flagged = _flagged(LEGIT_WITH_LINKS)
    # measured 3 of 30 (two are Google short links, flagged by the link check alone); 10 with
    # the previous model, 17 with link words learnt from text messages alone
    assert len(flagged) <= 4, flagged


def test_held_out_genuine_texts_with_links() -> None:
    """Two sets written blind (by helpers who saw neither the checker nor its data), never
    trained on. Set 2 was later used to find rule errors; set 3 was looked at once (MODEL_CARD.md).
    About a third of genuine texts with links are flagged: the figures say so, not a goal met."""
    from sms_heldout import LEGIT_WITH_LINKS_2
    from sms_heldout_3 import LEGIT_WITH_LINKS_3

    assert len(LEGIT_WITH_LINKS_2) == 80
    assert len(LEGIT_WITH_LINKS_3) == 100
    assert len(_flagged(LEGIT_WITH_LINKS_2)) <= 20  # measured 18 (24 before the registry fixes)
    assert len(_flagged(LEGIT_WITH_LINKS_3)) <= 42  # measured 39


def test_held_out_smishing_with_links() -> None:
    from sms_heldout import SMISH_WITH_LINKS_2

    assert len(_flagged(SMISH_WITH_LINKS_2)) >= 48  # measured 50 of 50
