"""Blind, held-out text-message sets for the message checker (evaluation only).

These sets were written blind: from general knowledge of how genuine notices and scam texts look
in 2022-2026, without looking at the checker's training data, its patterns, earlier test texts or
SmishTank. They are for evaluation only and must never be trained on.

- ``LEGIT_WITH_LINKS_2``: 80 genuine, legitimate SMS/WhatsApp/chat messages, each with at least one
  link: parcel carriers, banks (no credential requests), utilities and mobile carriers, health,
  schools and councils, travel, food delivery, shopping, sign-in alerts, recruiters, charities,
  and personal messages sharing links (UK, US, Ireland, Australia, Canada, India; a few in French,
  German, Spanish and Dutch). They measure false alarms on texts that contain links.
- ``SMISH_WITH_LINKS_2``: 50 modern smishing texts, each with at least one link: parcel fees, toll
  road balances, bank fraud checks, account locks, tax refunds and benefits, energy rebates,
  streaming and tech accounts, crypto, job scams, "hi mum" new number, prize draws, fines and
  health. They measure recall on current campaigns.

Names, tracking numbers, amounts and codes are made up; scam domains are invented look-alikes.
"""

LEGIT_WITH_LINKS_2: tuple[str, ...] = (
    (
        "Royal Mail: Your parcel from ASOS is out for delivery today. Track it here: "
        "https://www.royalmail.com/track-your-item#/tracking-results/QF481920375GB"
    ),
    (
        "Evri: Hi Jess, your parcel from Vinted will be delivered today between 10:15 and 13:15 by "
        "Gary. Manage it here: https://www.evri.com/track/parcel/H01LXA0048213977/details"
    ),
    (
        "DPD: Your parcel from Screwfix will be delivered today between 14:06 and 15:06 by Kamil. "
        "Follow it live or change your delivery: "
        "https://track.dpd.co.uk/parcels/15976012345678*21047"
    ),
    (
        "UPS: Your package from Chewy is scheduled for delivery Thu 11/20 by end of day. Track: "
        "https://www.ups.com/track?loc=en_US&tracknum=1Z8V27F40394851726&requester=ST/trackdetails"
    ),
    (
        "FedEx: Shipment 771234509812 from B&H Photo is out for delivery today. A signature is "
        "required. Details: https://www.fedex.com/fedextrack/?trknbr=771234509812"
    ),
    (
        "USPS: Your item 9400 1112 0583 4471 2096 18 was delivered in or at the mailbox at 1:42 pm "
        "on November 21 in PORTLAND, OR 97214. "
        "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111205834471209618"
    ),
    (
        "Australia Post: Your parcel from THE ICONIC is arriving today. Track it or change "
        "delivery in the app or at auspost.com.au/mypost/track/details/33LPG0451287"
    ),
    (
        "Canada Post: Your parcel 7023441888901245 from Simons was delivered to your community "
        "mailbox. The key is in parcel compartment 3. Details: "
        "canadapost-postescanada.ca/track-reperage/en#/details/7023441888901245"
    ),
    (
        "An Post: Your parcel CE128834701IE from Zalando will be delivered today. Not home? Choose "
        "a safe place or a Parcel Locker: "
        "https://www.anpost.com/Post-Parcels/Track/History?item=CE128834701IE"
    ),
    (
        "PostNL: Je pakket van bol komt vandaag tussen 13:40 en 15:40. Niet thuis? Kies een ander "
        "moment via https://jouw.postnl.nl/track-and-trace/3SBOL7362910-NL-3511AB"
    ),
    (
        "DHL: Ihre Sendung 00340434471235869401 von OTTO wird heute zwischen 11:00 und 14:00 Uhr "
        "zugestellt. Ablageort oder Nachbarn festlegen: "
        "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=0034043447123"
        "5869401"
    ),
    (
        "La Poste : votre Colissimo 6A24819377105 sera livré demain entre 9h et 13h. Pour modifier "
        "la livraison : https://www.laposte.fr/outils/suivre-vos-envois?code=6A24819377105"
    ),
    (
        "Amazon: Your package with 'Anker 65W USB-C Charger' was delivered to your front porch. "
        "See delivery photo: https://a.co/d/8kQp2Wz"
    ),
    (
        "Barclays: Your November statement for the account ending 4821 is ready to view in the "
        "Barclays app. Find out more at barclays.co.uk/statements. We'll never ask for your "
        "passcode by text."
    ),
    (
        "Chase: Your new debit card ending in 7734 is on its way and should arrive in 5-7 business "
        "days. You can lock or unlock it anytime in the Chase Mobile app. Learn more at "
        "chase.com/cardlock"
    ),
    (
        "AIB: Your replacement Visa Debit card has been posted to your home address. Activate it "
        "by making a chip and PIN transaction. Help: aib.ie/our-products/cards. AIB will never ask "
        "for your full PIN by text."
    ),
    (
        "CommBank: Your home loan repayment of $2,418.60 is due on 3 Dec. No action is needed if "
        "funds are available. View it in the CommBank app. More info: commbank.com.au/support"
    ),
    (
        "RBC Royal Bank: Your Visa statement is now available. Minimum payment due Dec 8. To view "
        "it, sign in to the RBC Mobile app. Manage your alerts at www.rbc.com/alerts"
    ),
    (
        "Rs.450.00 sent from HDFC Bank A/C *4821 to SWIGGY on 14-11-25, UPI Ref 531842907715. Not "
        "you? Report it at https://www.hdfcbank.com/personal/need-help"
    ),
    (
        "Hi Priya, your October Octopus Energy bill is ready: £84.12, which we'll collect by "
        "Direct Debit on 12 Nov. See the breakdown here: https://octopus.energy/dashboard/"
    ),
    (
        "Verizon Msg: Your bill is ready. Amount due: $87.43 by 12/15. AutoPay is on, so no action "
        "is needed. View bill: vzw.com/mybill"
    ),
    (
        "Your Jio plan of Rs.299 expires on 30-Nov-25. To keep enjoying unlimited calls and data, "
        "recharge via the MyJio app or https://www.jio.com/selfcare/recharge/mobility/"
    ),
    (
        "Telstra: Good news, your nbn service at 14 Banksia St is now connected. Tips for setting "
        "up your modem: https://www.telstra.com.au/support/internet/set-up-nbn"
    ),
    (
        "Three: You've used 80% of your 100GB data allowance for this month. Check your usage or "
        "add more at three.ie/my3"
    ),
    (
        "Dear Mr Collins, you are now eligible for your NHS flu and COVID-19 vaccinations this "
        "autumn. Please book a slot here: https://accurx.nhs.uk/r/fQ7k2Lm9 Riverside Medical "
        "Practice"
    ),
    (
        "Hi Amira, a reminder of your check-up with Dr Kaur at Parkside Dental on Tue 2 Dec at "
        "09:40. To confirm or rearrange, tap https://parksidedental.co.uk/appt/c/7Hn3Xk - please "
        "give 24hrs notice if you can't make it."
    ),
    (
        "HSE: Your outpatient appointment at Cork University Hospital, Dermatology Clinic, is on "
        "09/12/2025 at 10:15. Reply YES to confirm or NO to cancel. Hospital info: "
        "https://www.hse.ie/eng/services/list/3/acutehospitals/"
    ),
    (
        "CVS Pharmacy: Your Rx for DEBBIE is ready for pickup at 1240 MAIN ST. Please pick up "
        "within 7 days. Details: https://www.cvs.com/account/prescriptions"
    ),
    (
        "Practo: Your appointment with Dr. Meera Rao (Dermatologist) is confirmed for Sat, 29 Nov "
        "at 11:30 AM at SkinFirst Clinic, Indiranagar. Directions: "
        "https://maps.app.goo.gl/Xz4tPq8vRkW2Lm6n9"
    ),
    (
        "Rappel : RDV le jeudi 4 décembre à 15h20 avec le Dr Martin (médecine générale). Pour "
        "annuler ou déplacer le rendez-vous : https://www.doctolib.fr/"
    ),
    (
        "St Mary's C of E Primary: School will be CLOSED tomorrow (Fri 28 Nov) due to heavy snow. "
        "Updates will be posted at stmarysce.school/news. Stay safe and warm!"
    ),
    (
        "Lakeview School District: All schools will operate on a 2-hour delay Tuesday, Jan 13 due "
        "to icy roads. Buses will run 2 hours later than usual. More: "
        "https://www.lakeviewschools.org/delays"
    ),
    (
        "Bristol City Council: Your bin collection will be on Saturday this week instead of Friday "
        "because of the bank holiday. Check your collection days at bristol.gov.uk/bins"
    ),
    (
        "City of Ottawa: A winter weather parking ban is in effect tonight from 10 pm to 7 am. "
        "Vehicles parked on the street may be ticketed or towed. Details: ottawa.ca/parkingban"
    ),
    (
        "Ryanair: Check-in is now open for FR 7064 Dublin to Lanzarote on 14 Dec. Check in now to "
        "get your boarding pass: https://www.ryanair.com/ie/en/check-in"
    ),
    (
        "Amtrak: Northeast Regional Train 171 from NYP to WAS is on time, departing at 2:05 PM "
        "from Track 7E. Track your train: https://www.amtrak.com/track-your-train.html"
    ),
    (
        "Air Canada: Flight AC118 Vancouver-Toronto on Nov 30 now departs at 14:35 from gate C49. "
        "Check your flight status: https://www.aircanada.com/flightstatus"
    ),
    (
        "IndiGo: Web check-in is now open for 6E 2134 BLR-DEL on 02 Dec, departing 06:15. Check in "
        "at https://www.goindigo.in/web-check-in.html and reach the gate by 05:40."
    ),
    (
        "Thanks for riding with Uber, Tom. Your receipt for Friday night's trip (£14.20) is at "
        "https://riders.uber.com/trips - you can rate Ahmed in the app."
    ),
    (
        "DoorDash: Maria is heading your way with your Chipotle order. ETA 7:42 PM. Track it here: "
        "https://drd.sh/k3P9vQ/"
    ),
    (
        "Deliveroo: Your order from Dishoom is on its way! Track your rider here: "
        "https://deliveroo.co.uk/orderstatus/612843097"
    ),
    (
        "Argos: Your order 6120483 is ready to collect from Argos in Sainsbury's Clapham. Bring "
        "your order number and collect by 3 Dec. Help: https://www.argos.co.uk/help/collection"
    ),
    (
        "Flipkart: Your boAt Airdopes 141 was delivered. Tell us how it went and rate it here: "
        "http://fkrt.it/wQx4B7uuuN"
    ),
    (
        "Netflix: Your temporary access code is 4817. It expires in 15 minutes. Requested from a "
        "TV in Galway. Learn more at netflix.com/household"
    ),
    (
        "Monzo: Someone just logged in to your Monzo account on a new device (iPhone 16, "
        "Manchester). If this was you, you don't need to do anything. If not, tap 'Not me' in the "
        "app or read https://monzo.com/help"
    ),
    (
        "PayPal: 628419 is your security code. Don't share it with anyone. We'll never call you to "
        "ask for it. More about staying safe: https://www.paypal.com/us/security"
    ),
    (
        "Hi Sam, it's Laura from Hays Leeds. Thanks for applying for the Payroll Officer role. Are "
        "you free for a quick call tomorrow around 11? Role details: "
        "https://www.hays.co.uk/job-detail/payroll-officer-leeds_4829173"
    ),
    (
        "Hey Arjun, Neha here from Infosys TA. Loved your profile - sharing the JD for the Senior "
        "Data Engineer role (Pune, hybrid): https://lnkd.in/dQ4xR8sZ Let me know if you'd like to "
        "chat this week?"
    ),
    (
        "Thank you for texting to donate £5 to Macmillan Cancer Support. Your gift helps people "
        "living with cancer. See how: https://www.macmillan.org.uk/donate"
    ),
    (
        "Lifeblood: Thanks Lauren! Your donation from 12 Nov is on its way to help a patient. Book "
        "your next donation: lifeblood.com.au"
    ),
    "omg you HAVE to watch this 😂😂 https://youtu.be/Qm3rT8vXk2E",
    (
        "Made a playlist for the road trip this arvo, chuck whatever on it 🚗 "
        "https://open.spotify.com/playlist/4Hq2pLmZ8vTcW1xYbN0rKd?si=7f3a91c2e4b04d6e"
    ),
    (
        "We're at the pub by the river, here's the pin: https://maps.app.goo.gl/fR9wZ2kTqL7cYx3mA "
        "see you in 10"
    ),
    (
        "Hi all, here's the rota for the school run next term, add your name where you can 🙏 "
        "https://docs.google.com/spreadsheets/d/1kX9fP2mRtY7qLw3Zb8Nc4Vd6Hs0Jg5EuAoQiTyBrMxC/edit?u"
        "sp=sharing"
    ),
    "Can you fill this in for the hen do by Friday pls x https://forms.gle/8KpQx3vZrT2mLw6N7",
    (
        "Uploaded the wedding edits to Dropbox, lmk if the link works "
        "https://www.dropbox.com/scl/fo/3v8kq2x1m7p9r4t6/AKj2Lw9QzXy?rlkey=h7n2k4p8x1v5&dl=0"
    ),
    (
        "Running 5 min late, start without me. Zoom is "
        "https://us02web.zoom.us/j/84739201563?pwd=Q2xHbU5mTkRvZ1pYcWhL.1"
    ),
    (
        "Hi Dave, moved our 1:1 to Teams since I'm WFH today, link here: "
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ4ZjM2YTEtZDk0%40thread.v2/0"
    ),
    (
        "lmaooo this is literally your dog "
        "https://www.instagram.com/reel/C9xT2kLmQpR/?igsh=MWd4ZzR2bnNxcjQ5"
    ),
    "this tiktok is so us 💀 https://vm.tiktok.com/ZNe4kQxT7/",
    (
        "Found a thread that explains the boiler error code, worth a try before we call someone "
        "out https://www.reddit.com/r/DIYUK/comments/1g7k2xp/worcester_bosch_ea229_error_fixed/"
    ),
    (
        "Did you see this?? They're finally fixing the bridge "
        "https://www.bbc.co.uk/news/articles/c4g8kx2mqz7o?at_medium=RSS&at_campaign=rss"
    ),
    (
        "Found a place for Lisbon, sleeps 6 and has a roof terrace!! "
        "https://www.airbnb.co.uk/rooms/83920174562839201?adults=6&check_in=2026-05-14&check_out=20"
        "26-05-18"
    ),
    (
        "Mum this is the flat I was telling you about, viewing on Sat if you want to come? "
        "https://www.rightmove.co.uk/properties/158273946?utm_source=whatsapp&utm_medium=share#/"
    ),
    (
        "Honey look at this one, 3bd with a yard and under budget "
        "https://www.zillow.com/homedetails/1423-Maple-Ave-Columbus-OH-43215/33491827_zpid/"
    ),
    "This is the air fryer I was on about, it's £30 off today https://amzn.eu/d/3xKpQ9L",
    (
        "Hey everyone, Jenny's neighbours set up a fundraiser after the fire, anything helps ❤️ "
        "https://gofund.me/7c4a92e1"
    ),
    (
        "Got us 4 tickets for the Saturday 🎉 send me €42 on Revolut whenever, tickets are here: "
        "https://www.ticketmaster.ie/event/18006123A4B2C9F1"
    ),
    (
        "Added you to the Year 4 parents group, join here if it didn't work: "
        "https://chat.whatsapp.com/Gk3Lm9QxT2pR7vZ8nY4wBc"
    ),
    "Here's the signup for the Santa Dash, it's on the 7th: https://bit.ly/santadash-cork25",
    "haha the replies on this one https://t.co/Xk9QzR2mLp",
    (
        "Registry link for the baby shower in case you lost it: "
        "https://tinyurl.com/priya-baby-registry"
    ),
    (
        "booked the table for friday 8pm!! heres the menu if u wanna look beforehand "
        "www.thesalthousebristol.co.uk/menus"
    ),
    (
        "Sending you the hockey schedule for the kids, first game is Sat 9am at this rink "
        "https://goo.gl/maps/Xk3Tq9mPz2LsNv7 bring a thermos lol"
    ),
    (
        "Bhai ye dekh, same phone 2k cheaper on Croma right now "
        "https://www.croma.com/apple-iphone-16-128gb-black-/p/309678"
    ),
    (
        "Coucou ! Voilà le lien du sondage pour le repas de Noël, réponds avant dimanche stp 😘 "
        "https://framadate.org/aB3kQ9xZ2mLp7Tv4"
    ),
    (
        "Hey, hier ist der Link zu Lenas Geburtstagswunschliste, such dir was aus: "
        "https://www.amazon.de/hz/wishlist/ls/2KX9QF3T8M4PL?ref_=wl_share"
    ),
    (
        "¡Mira el piso que hemos visto hoy! Tiene terraza 😍 "
        "https://www.idealista.com/inmueble/104829371/"
    ),
    (
        "Hoi! Hier is de Tikkie voor de pizza van gisteren, €8,50 p.p. "
        "https://tikkie.me/pay/Vrienden/k3Mx9QzLpT7wR2"
    ),
    (
        "FYI the deck for tomorrow's client call is in the shared Drive, final version is v3: "
        "https://drive.google.com/file/d/1Qx7kL2mPz9RtW4vB8nY3cH6jD0sFgE5a/view?usp=drive_link"
    ),
)

SMISH_WITH_LINKS_2: tuple[str, ...] = (
    (
        "RoyalMail: Your parcel is awaiting delivery. Please confirm the settlement of £1.45 on "
        "the following link: https://royalmail-redelivery.top/gb"
    ),
    (
        "Evri: We missed you today. Your parcel will be returned to the sender unless you "
        "reschedule within 12 hours: https://evri.parcel-rebook.com/uk"
    ),
    (
        "USPS: The package arrived at the warehouse but could not be delivered due to incomplete "
        "address information. Please confirm your address in the link within 12 hours. "
        "https://usps.com-trackhelp.top/us (Please reply Y, then exit the SMS and open it again to "
        "activate the link.)"
    ),
    (
        "AusPost: Your package is on hold due to an unpaid customs fee ($2.99). Pay now to release "
        "it: https://auspost-au.delivery-fee.icu"
    ),
    (
        "Canada Post: Your parcel has been held at our facility because of an incorrect postal "
        "code. Update your details to avoid return: https://canadapost-track.cc/ca"
    ),
    (
        "An Post: Your parcel has a customs charge of €2.99 outstanding. Pay before 23:59 today or "
        "it will be returned: https://anpost-ie.customs-pay.xyz"
    ),
    (
        "DHL: Ihr Paket konnte nicht zugestellt werden, da die Adresse unvollständig ist. Bitte "
        "bestätigen Sie Ihre Adresse: https://dhl-de.sendung-info.top"
    ),
    (
        "PostNL: Uw pakket staat klaar, maar er is nog €1,99 verzendkosten verschuldigd. Betaal "
        "binnen 24 uur via https://postnl.pakket-nl.xyz/betalen"
    ),
    (
        "La Poste : votre colis est en attente de livraison. Des frais de 1,99€ restent à régler. "
        "Confirmez ici : https://laposte-suivi.colis-fr.icu"
    ),
    (
        "Correos: Su paquete no ha podido ser entregado por falta de pago de aranceles (1,79 EUR). "
        "Pague aquí: https://correos-es.envio-pendiente.top"
    ),
    (
        "IndiaPost: Your package has arrived at the warehouse but cannot be delivered due to "
        "incomplete address. Please update within 48 hours: https://indiapost.top/in"
    ),
    (
        "Amazon: Your order #204-8391027-6613 for Apple iPhone 16 Pro (£1,199.00) has been "
        "dispatched. If you did not place this order, cancel it here: "
        "https://amazon-uk-cancel.net/order"
    ),
    (
        "E-ZPass: You have an unpaid toll balance of $6.89. To avoid a late fee of $50.00, please "
        "settle your balance by 11/30: https://e-zpassny.com-tollbill.xyz"
    ),
    (
        "FasTrak: Final reminder. Our records show an outstanding toll of $4.35 on your vehicle. "
        "Pay now to avoid DMV registration hold: https://fastrak.ca-gov.icu/pay"
    ),
    (
        "SunPass: your account has an unpaid toll of $3.15. Failure to pay will result in a $25 "
        "administrative fee. https://sunpass.com-tolls.cc"
    ),
    (
        "Dart Charge: Our records show you crossed the Dartford Crossing without paying. Pay £2.50 "
        "today to avoid a £70 Penalty Charge Notice: https://dartcharge-gov.uk-pay.top"
    ),
    (
        "Linkt: You have an overdue toll notice of $12.45. Pay now to avoid an additional "
        "administration fee: https://linkt-au.tollpay.vip"
    ),
    (
        "TfL: Your vehicle entered the ULEZ on 18/11 without a daily charge being paid. Settle "
        "£12.50 now to avoid a PCN: https://tfl-ulez.charge-paid.com"
    ),
    (
        "Lloyds: Did you attempt a payment of £598.00 to APPLE.COM/BILL? If NOT, visit "
        "https://lloyds-verify-payee.com to cancel. Ref: 2291"
    ),
    (
        "Barclays: A new device was added to your online banking at 21:14. If this wasn't you, "
        "please secure your account immediately at https://barclays.secure-device-review.com"
    ),
    (
        "Chase Fraud Alert: Did you attempt a $1,243.99 purchase at BESTBUY.COM? Reply YES or NO. "
        "To review this transaction visit chase.com.verify-acct.info"
    ),
    (
        "Wells Fargo: your online access has been temporarily locked due to unusual activity. "
        "Restore access: https://wellsfargo-online.support-restore.cc"
    ),
    (
        "AIB: Your account has been restricted following a failed security check. Please verify "
        "your details to avoid suspension: https://aib-ie.secure-verify.app"
    ),
    (
        "CommBank: A payment of $1,850.00 to PAYID j.nguyen is pending. If you did not authorise "
        "this, cancel it at https://netbank-commbank.com.au.cancel-payee.top"
    ),
    (
        "Dear Customer, your HDFC Bank NetBanking will be blocked today. Please update your PAN "
        "card immediately: http://hdfc-kyc-update.in.net/"
    ),
    (
        "Dear SBI user, your YONO reward points worth Rs.7,450 expire today. Redeem them to your "
        "account now: https://sbi-rewards.yono-redeem.xyz"
    ),
    (
        "Santander: We've noticed a new payee, J Marsh, was added to your account at 14:12 today. "
        "If you don't recognise this, please review it securely here: "
        "https://santander-uk.review-payee.com"
    ),
    (
        "INTERAC e-Transfer: You've received $250.00 from JENNIFER WOODS. Select your financial "
        "institution to deposit: https://interac-etransfer.deposit-ca.top"
    ),
    (
        "HMRC: You are eligible for a tax refund of £274.86. Submit your claim before 30 Nov to "
        "receive it: https://hmrc-gov.refunds-portal.uk.com"
    ),
    (
        "IRS: Your 2025 tax refund of $1,092.40 has been processed but is on hold pending identity "
        "verification. Verify here: https://irs-gov.refund-status.top"
    ),
    (
        "CRA: You have received an e-transfer of $385.23 from the Canada Revenue Agency. Deposit "
        "your refund: https://cra-arc.gc.ca.deposit-etransfer.icu"
    ),
    (
        "myGov: Your ATO account has been suspended due to suspicious activity. Verify your "
        "identity to restore access: https://mygov-au.verify-id.cc"
    ),
    (
        "DWP: You are entitled to the Winter Fuel Payment of £300 for 2025/26. Apply before 20 "
        "December: https://gov-uk.winterfuel-apply.com"
    ),
    (
        "Revenue: Following our annual review you are due a tax refund of €412.50. Claim it "
        "through your myAccount here: https://revenue-ie.claim-refund.top"
    ),
    (
        "Ofgem: Due to the energy price cap changes you are owed a rebate of £400. Claim your "
        "rebate before it expires: https://ofgem-rebate.uk-claim.top"
    ),
    (
        "Netflix: Your payment was declined. Your membership will be suspended within 24 hours. "
        "Update your payment details: https://netflix.account-billing-update.com"
    ),
    (
        "Prime: We were unable to renew your Amazon Prime membership. Please update your billing "
        "information to keep your benefits: https://bit.ly/3PrimeRenw"
    ),
    (
        "Apple: Your Apple ID has been locked for security reasons. Unlock it within 24 hours or "
        "it will be permanently disabled: https://appleid.apple.com.unlock-support.xyz"
    ),
    (
        "Google: Someone tried to sign in to your account from Lagos, Nigeria. If this wasn't you, "
        "secure your account now: https://accounts-google.security-check.icu"
    ),
    (
        "Microsoft 365: Your mailbox storage is full and new emails are being rejected. Upgrade "
        "for free: http://185.213.27.44/m365/upgrade"
    ),
    (
        "Coinbase: A withdrawal of 0.4812 BTC to an external wallet was requested. If this wasn't "
        "you, cancel the transaction here: https://coinbase-cancel.com/id/88213"
    ),
    (
        "MetaMask: Your wallet will be deactivated unless verification is completed in 24h. Verify "
        "now: https://metamask-verify.io.vn"
    ),
    (
        "Hi, I'm Emily, a recruiter from Randstad. We have a flexible remote part-time job, 60-90 "
        "minutes a day, £300-£800 a day paid daily. Chat with me on WhatsApp: "
        "https://wa.link/r8x2kq"
    ),
    (
        "Hello! Amazon is hiring online product reviewers, work from home and earn $150-$500/day. "
        "No experience needed. Apply on Telegram: https://t.me/amz_hiring_hr2"
    ),
    (
        "Hi Mum, it's me, I dropped my phone in the toilet 🙈 this is my new number. Can you "
        "message me on WhatsApp here? https://wa.link/mumnewnr"
    ),
    (
        "Hoi pap, dit is mijn nieuwe nummer. Mijn telefoon is kapot. Kun je me even appen via deze "
        "link? Ik moet vandaag nog iets betalen https://wa.me/message/QX3K7PLM2ZBHA1"
    ),
    (
        "Congratulations! Your number was selected in the Tesco Clubcard Christmas draw for a £500 "
        "voucher. Claim before midnight: https://tesco-rewards.win/claim"
    ),
    (
        "DVLA: Your latest vehicle tax payment has failed. To avoid a fine and your vehicle being "
        "clamped, update your details: https://tinyurl.com/dvla-tax-uk"
    ),
    (
        "Your vehicle challan of Rs.500 is pending. Pay now to avoid court proceedings: "
        "https://echallan-parivahan.gov.in.pay-now.top"
    ),
    (
        "NHS: You are eligible for a free flu and COVID-19 booster. To reserve your appointment "
        "you must confirm your details: https://nhs-booking.uk-vaccine.top"
    ),
)
