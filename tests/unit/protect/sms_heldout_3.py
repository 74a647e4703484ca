"""Blind held-out set of legitimate text messages that contain links (set 3).

``LEGIT_WITH_LINKS_3`` holds 100 genuine, legitimate SMS/text messages of the kind people
received 2023-2026, each with at least one link. About 60 are notifications from real
organisations (parcel carriers, retailers, banks and card issuers, toll operators, parking apps,
tax and government services, mobile carriers, utilities, healthcare, schools, councils,
airlines, trains, hotels, ride-hailing, food delivery, streaming, app accounts, charities,
payroll portals, recruiters, sign-in and one-time-code alerts) on their official domains and
brand-owned short links; about 40 are personal messages from friends, family, neighbours,
coaches and colleagues sharing links. Countries: US, UK, Canada, Australia, Ireland, India,
New Zealand, South Africa; about 10 messages are in French, German, Spanish, Italian,
Portuguese or Dutch. Names, tracking numbers, codes and amounts are invented.

The set was written blind: without looking at the message checker, its training data, its
patterns or any earlier test texts. It is for evaluation only (measuring how often genuine texts
with links are wrongly flagged); it must never be trained on or used to tune the checker.
"""

LEGIT_WITH_LINKS_3: tuple[str, ...] = (
    (
        "UPS: Your package from Best Buy is scheduled for delivery Thu, 11/20 between "
        "1:15 PM - 5:15 PM. Track: ups.com/track?tracknum=1Z8V47E90396284715 Txt STOP "
        "to end"
    ),
    (
        "USPS: Your item 9400111899223817465022 was delivered in or at the mailbox at "
        "2:41 pm on November 18, 2025 in PORTLAND, OR 97214. More info: "
        "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223817465022"
    ),
    (
        "Amazon: Your package was delivered. It was handed directly to a resident. See "
        "delivery photo: https://a.co/d/8jQ2xTm"
    ),
    (
        "Chase: Your Freedom Unlimited statement (card ending 4417) is ready. Minimum "
        "payment $35.00 due 12/14. See it in the Chase Mobile app or at chase.com. "
        "Chase will never ask for your PIN or password by text."
    ),
    (
        "BofA: Your replacement debit card ending in 2290 was mailed today and should "
        "arrive in 5-7 business days. Activate it in the Mobile Banking app or at "
        "bankofamerica.com/activate"
    ),
    (
        "CA DMV: Your appointment is confirmed for Tue, Dec 9 at 10:20 AM at the Santa "
        "Clara field office (REAL ID). Confirmation # 48213077. Reschedule or cancel: "
        "dmv.ca.gov/appointments"
    ),
    (
        "E-ZPass NY: Your account was replenished with $25.00 from your card ending "
        "8810 on 11/21/26. Current balance: $31.40. View activity at e-zpassny.com"
    ),
    (
        "Verizon: Your bill for Nov is ready. Amount due: $142.87 on 12/03. AutoPay is "
        "on, so no action is needed. View details: vzw.com/mybill"
    ),
    (
        "CVS Pharmacy: JORDAN, your Rx for AMOXICILLIN 500MG is ready for pickup at "
        "1420 E Main St. Hours & details: https://www.cvs.com/rx/status Reply HELP for "
        "help, STOP to opt out"
    ),
    (
        "UW Health: New test results are available in MyChart. Log in at "
        "mychart.uwhealth.org or in the MyChart app to view them. Please do not reply "
        "to this message."
    ),
    (
        "FCPS: All Fairfax County Public Schools and offices are CLOSED today, Tues Jan "
        "13, due to icy road conditions. No virtual learning today. Updates at "
        "fcps.edu/news"
    ),
    (
        "Delta: Flight DL1287 ATL-BOS on 02DEC is delayed. New departure 7:55PM, gate "
        "B14. We're sorry for the wait. Details: delta.com/flightstatus or the Fly "
        "Delta app"
    ),
    (
        "DoorDash: Your Dasher Kevin is approaching with your Sweetgreen order. Track "
        "it here: https://drd.sh/XkP2aQ9rWt7/"
    ),
    (
        "ParkMobile: Your parking session in zone 4211 expires in 15 min (2:45 PM). "
        "Extend from the app: https://app.parkmobile.io/zone/4211"
    ),
    (
        "Netflix: New sign-in to your account from a Samsung TV near Columbus, OH. If "
        "this was you, enjoy! Not you? Sign out of all devices and change your password "
        "at netflix.com/account/security"
    ),
    (
        "ADP: Your pay statement for 11/21/2026 is now available. Sign in at my.adp.com "
        "or in the ADP Mobile app to view it."
    ),
    (
        "American Red Cross: Thank you for giving blood today, Priya! Your donation can "
        "help save up to 3 lives. Follow its journey in the Blood Donor App or at "
        "redcrossblood.org/donor"
    ),
    (
        "Uber: Your driver Marisol is arriving now in a gray Toyota Camry (8KLM203). "
        "Please meet at the pickup spot. Need help or lost an item? help.uber.com"
    ),
    ("Your Apple Account code is: 539204. Don't share it with anyone.\n\n@apple.com #539204"),
    (
        "Royal Mail: Sorry we missed you today. Your item JQ459281736GB is at your "
        "Delivery Office and can be collected from 6pm tomorrow - bring ID and the card "
        "we left. Or book a redelivery at royalmail.com/redelivery"
    ),
    (
        "Evri: Your ASOS parcel is on its way and will arrive today between 11:05 - "
        "13:05. Track it or leave safe place instructions: "
        "https://www.evri.com/track/parcel/H01JKA0049827361"
    ),
    (
        "DPD: Hi Amira, your parcel from John Lewis will be delivered today between "
        "10:34 and 11:34 by Dariusz. Track it live: "
        "https://track.dpd.co.uk/parcels/15501928374650 To change your delivery, use "
        "the DPD app."
    ),
    (
        "HMRC: Your Self Assessment tax return and any tax you owe for 2025 to 2026 are "
        "due by 31 January 2027. Find out more at "
        "www.gov.uk/self-assessment-tax-returns. HMRC will never ask for your bank "
        "details by text."
    ),
    (
        "NHS: You are eligible for a free flu vaccination this autumn. Book online at "
        "www.nhs.uk/book-a-vaccination, through the NHS App or by calling 119. You do "
        "not need to pay."
    ),
    (
        "Riverside Medical Practice: Dear Sam, please fill in this short questionnaire "
        "before your asthma review on 3 Dec: "
        "https://florey.accurx.com/p/F83041/7c2e91ad Thank you"
    ),
    (
        "O2: Your latest bill is ready. It's £27.49 and we'll collect it by Direct "
        "Debit on or after 4 Dec. See the details in the My O2 app or at "
        "o2.co.uk/mybill"
    ),
    (
        "Octopus Energy: Hi Ben, time for a meter reading! Send us your electricity and "
        "gas readings in a few taps: "
        "https://octopus.energy/dashboard/?utm_source=sms&utm_medium=meter-reading It "
        "keeps your bills accurate."
    ),
    (
        "Barclaycard: We've received your payment of £250.00 to your card ending 3318. "
        "Thanks, Laura. Check your balance in the Barclaycard app. We'll never ask for "
        "your PIN or full passcode - barclaycard.co.uk/security"
    ),
    (
        "Avanti West Coast: The 17:30 London Euston to Manchester Piccadilly is delayed "
        "by around 40 mins due to a signalling fault. You may be able to claim "
        "compensation: avantiwestcoast.co.uk/delay-repay"
    ),
    (
        "Leeds City Council: Your black bin collection will be on Sat 27 Dec instead of "
        "Thu 25 Dec over the Christmas period. Check your dates at "
        "www.leeds.gov.uk/bins"
    ),
    (
        "RingGo: Your parking at location 80214 (Guildford High St) ends in 10 minutes, "
        "at 14:20. Extend in the RingGo app or at myringgo.co.uk. Text STOP to opt out."
    ),
    (
        "British Airways: Check-in is now open for BA0456 London Heathrow to Madrid on "
        "14 Dec, booking ref QX7P2L. Check in online at ba.com/checkin or in the BA "
        "app."
    ),
    (
        "Hi Tom, it's Hannah from Hays. Great to chat earlier! Here's the Data Analyst "
        "contract role we discussed (Leeds, hybrid, £450/day): "
        "https://www.hays.co.uk/job-detail/data-analyst-leeds_4419027 Let me know if "
        "you'd like me to put you forward."
    ),
    (
        "Use 771904 as your Microsoft account security code. Not you? Review recent "
        "activity at account.microsoft.com/activity"
    ),
    (
        "Premier Inn: Hi Chris, we're looking forward to seeing you at London King's "
        "Cross on 12 Dec. Save time with online check-in: "
        "https://www.premierinn.com/gb/en/checkin.html?utm_source=sms&utm_campaign=precheckin "
        "(booking ref PI8K2QT91)"
    ),
    (
        "Canada Post: Your parcel 7023210488319560 was delivered to your community "
        "mailbox on Nov 24. Your key is in parcel compartment 3. Details: "
        "canadapost-postescanada.ca/track-reperage/en#/details/7023210488319560"
    ),
    (
        "407 ETR: Your November statement is ready. Amount due: $48.17 by Dec 15. View "
        "and pay at 407etr.com/en/myaccount. Thanks for using Highway 407."
    ),
    (
        "TD Alert: A purchase of $214.60 at COSTCO WHOLESALE #543 was made on your TD "
        "credit card ending in 7730 on Nov 23. If you don't recognize it, call the "
        "number on the back of your card. More about fraud: td.com/fraud"
    ),
    (
        "City of Ottawa: Environment Canada has issued a snowfall warning for Ottawa, "
        "15-25 cm expected tonight. Winter parking ban in effect from 1 am. Details: "
        "weather.gc.ca/warnings and ottawa.ca/parkingban"
    ),
    (
        "Hydro-Québec : Votre facture de 87,42 $ est disponible. Date d'échéance : 15 "
        "décembre. Consultez-la dans votre Espace client : "
        "hydroquebec.com/espace-client"
    ),
    (
        "Australia Post: Your parcel 33LPR0148726 from JB Hi-Fi is coming today. Track "
        "it: auspost.com.au/mypost/track/details/33LPR0148726"
    ),
    (
        "Linkt: Your Linkt account was topped up $40.00 from your card ending 1184. "
        "Your balance is now $52.30. Manage your account at linkt.com.au"
    ),
    (
        "Telstra: You've used 85% of your 40GB data this bill period (resets 3 Dec). "
        "Check usage in the My Telstra app or at telstra.com.au/my-account"
    ),
    (
        "Reminder: Your appointment with Dr Nguyen at Coogee Family Practice is "
        "tomorrow at 9:15am. Need to cancel or change? hotdoc.com.au/a/7f2KqP Reply Y "
        "to confirm."
    ),
    (
        "Service NSW: The registration for your vehicle EKT27P is due on 12/12/2026. "
        "Renew online at service.nsw.gov.au/rego or in the Service NSW app."
    ),
    (
        "An Post: Your parcel CE482917365IE from Zalando will be delivered tomorrow. "
        "Not home? Choose a safe place or another delivery day at anpost.com/redirect"
    ),
    (
        "HSE: You are invited to get your free flu vaccine this winter. Get it at your "
        "GP or pharmacy, or find a clinic near you at hse.ie/flu"
    ),
    (
        "AIB: 482613 is your code to approve the new payee M KELLY. If you did not "
        "request this, do not share it with anyone. AIB will never ask for this code by "
        "phone. aib.ie/fraud"
    ),
    (
        "eFlow: Thank you for your payment of €3.10 for vehicle 221-D-41022 on the M50 "
        "(23/11/2026). Save on every trip with an eFlow account: eflow.ie"
    ),
    (
        "Rs.1,250.00 debited from HDFC Bank A/c XX4821 on 24-11-26 to VPA "
        "swiggy.stores@axisbank (UPI Ref No 432198765012). Not you? Report at "
        "hdfcbank.com/fraud -HDFC Bank"
    ),
    (
        "PNR 4521876930, TRN 12951, DOJ 03-12-26, 3A, NDLS-MMCT, Dep 16:55. Chart "
        "prepared: B4 37 LB. Check live status at enquiry.indianrail.gov.in -IRCTC"
    ),
    (
        "Dear Customer, your Airtel Postpaid bill of Rs 799.00 for 98XXXXXX21 is "
        "generated. Due date 05-Dec-26. Pay easily on Airtel Thanks app: "
        "i.airtel.in/Pay"
    ),
    (
        "NZ Post: Your parcel from Kathmandu is out for delivery today. Track it at "
        "nzpost.co.nz/tools/tracking?trackid=00994217382001455012"
    ),
    (
        "NZTA: Thanks for paying the Northern Gateway toll for vehicle KTG512 (21 Nov). "
        "Receipts and account info: nzta.govt.nz/roads-and-rail/toll-roads"
    ),
    (
        "Takealot: Your order 147820394 is ready for collection at Takealot Pickup "
        "Point Montague Gardens. Collect by 03 Dec with your ID. Details: "
        "https://www.takealot.com/account/orders?utm_source=sms"
    ),
    (
        "Vodacom: Your 5GB data bundle expires in 2 days (29/11). Buy more on the "
        "VodaPay app, dial *135# or visit vodacom.co.za/bundles"
    ),
    (
        "SARS: Your 2026 income tax assessment (ITR12) is now available on eFiling. Log "
        "in at www.sarsefiling.co.za to view it."
    ),
    (
        "Colissimo : votre colis 6A18293746512 sera livré demain entre 9h et 13h. Suivi "
        "et options de livraison : "
        "laposte.fr/outils/suivre-vos-envois?code=6A18293746512"
    ),
    (
        "DB: Ihr ICE 578 nach Hamburg Hbf (Abfahrt 14:28) hat ca. 25 Min. Verspätung. "
        "Gleisänderung: jetzt Gleis 9. Aktuelle Infos im DB Navigator oder auf "
        "bahn.de/reiseauskunft"
    ),
    (
        "Correos: Tu envío PQ4B6M0712345670128001R llegará hoy. Consulta el estado en "
        "correos.es/es/es/herramientas/localizador/envios?numero=PQ4B6M0712345670128001R"
    ),
    (
        "Trenitalia: il Frecciarossa 9527 Milano C.le - Roma Termini del 28/11 viaggia "
        "con 20 minuti di ritardo. Info in tempo reale su trenitalia.com o nell'app."
    ),
    (
        "PostNL: Je pakket van bol wordt vandaag tussen 14:15 en 16:45 bezorgd. Volg je "
        "pakket of kies een andere dag: "
        "https://jouw.postnl.nl/track-and-trace/3SBOL0048217563-NL-1033AB"
    ),
    "lmaooo did u see this?? the raccoon at the end 😭 https://youtu.be/Xk3vP9aLm2Q",
    ("made us a playlist for saturday's drive, add whatever u want x https://spoti.fi/4bQ7rTz"),
    (
        "We're at the back by the window, it's a bit hidden, here's the pin: "
        "https://maps.app.goo.gl/uR7ZqLw3nVd2KpXe8"
    ),
    (
        "Hey Dana, here's the draft agenda for Thursday's offsite - comments welcome "
        "before EOD tomorrow "
        "https://docs.google.com/document/d/1fQ8vK2mLp0ZrT7yXcN4sW9eJbH3uGaDq/edit?usp=sharing"
    ),
    (
        "Hi U11 parents! Please fill in your kid's availability for the Brampton "
        "tournament (Jan 17-18) by Wednesday: https://forms.gle/Qm8wZ2tLx7rVpN3k9 "
        "Thanks! - Coach Raj"
    ),
    (
        "The photos from Ciara's wedding are up!! 😍 "
        "https://photos.app.goo.gl/9HtWqL2mZcR4vYx7A some absolute gems of you and Dec "
        "on the dance floor"
    ),
    (
        "Mom look at this one, 3 bed 2 bath, walking distance to the park and the "
        "school "
        "https://www.zillow.com/homedetails/412-Elm-St-Ames-IA-50010/93218457_zpid/"
    ),
    (
        "Hi neighbors, it's Marcy from the corner house. Deb and Tony's place flooded "
        "in last week's storm - a few of us set up a fundraiser to help them out: "
        "https://gofund.me/3a7c21f9 Anything helps ❤️"
    ),
    (
        "Did you see this about the new bus lane on our road? "
        "https://www.bbc.co.uk/news/articles/c4gx8v2kq1zo"
    ),
    (
        "the lasagne recipe i promised!! I do double the garlic "
        "https://www.bbcgoodfood.com/recipes/best-lasagne"
    ),
    (
        "Hi all, it's Sue at number 22. We've set up a WhatsApp group for the street "
        "(parcels, bins, lost cats etc). Join here if you like: "
        "https://chat.whatsapp.com/HkR2pL8xQz4Tm9WvYb3NcE"
    ),
    (
        "Added all the cottage costs to Splitwise, you owe $186.40 total. Settle up "
        "whenever, no rush eh https://secure.splitwise.com/#/groups/48120937"
    ),
    "Tickets were £68 each, pay me back whenever 🙏 paypal.me/jesswhitlow/68",
    ("venmo me for the pizza when u get a sec, $14 ✌️ https://venmo.com/u/Kyle-Brennan-7"),
    (
        "Booked the Airbnb for Byron!! 4 nights, pool AND a hammock 🏝️ "
        "https://www.airbnb.com.au/rooms/857203941126448391"
    ),
    "https://vm.tiktok.com/ZMhXq7Lp2/ this is so u 💀💀",
    (
        "Hi team, here's the invite for the end-of-season BBQ at the clubrooms, RSVP on "
        "there pls so we know numbers fb.me/e/3kPq9XzAb"
    ),
    "yo found the 35mm lens u wanted, auction ends tonight 9pm ebay.us/m/Ab3xQz",
    "bro these are the earbuds i was talking about, 40% off rn amzn.to/3Xq9LkP",
    (
        "Here's Lily's birthday wishlist if you're stuck for ideas 🎁 "
        "https://www.amazon.co.uk/hz/wishlist/ls/2KX8Q7VNM1R3P?ref_=wl_share"
    ),
    (
        "Hey Ananya, saw this opening on our team, think you'd be perfect. Apply and "
        "put me down as referral lnkd.in/gHk2PzQx"
    ),
    (
        "Running 5 min late, go ahead and start without me: "
        "https://us02web.zoom.us/j/84512930177?pwd=bW5zTkRQa2xPcXd4"
    ),
    "New PB on the Tamaki Drive loop 🏃💨 https://strava.app.link/Qx7PzL2mKb",
    (
        "Uploaded the scans of Grandma's recipes here, feel free to download "
        "https://www.dropbox.com/scl/fo/x8k2m4q7zp/AAB3tZ9pLqW?rlkey=h7d2k9fq0w&dl=0"
    ),
    ("Sent the raw files via WeTransfer, link expires in 7 days: https://we.tl/t-Xk2Pq9LmT4"),
    (
        "PTA bake sale sign-up sheet for Friday, pls add your name if you can bake or "
        "help on the stall! bit.ly/oakfield-bakesale"
    ),
    (
        "Hi everyone, December choir rota is here: tinyurl.com/stmarks-rota-dec Shout "
        "if you can't make your date. Blessings, Thandi"
    ),
    "lol the mayor's tweet https://t.co/7QxZ1pLm4B",
    (
        "Training moved indoors to the PCYC tonight bc of the storm, same time. "
        "Details: ow.ly/Xk9z50Wq1aB"
    ),
    (
        "Are you coming to the climate talk Thursday? It's free but you need a ticket "
        "https://www.eventbrite.ie/e/climate-action-in-your-community-tickets-948203117"
    ),
    (
        "This the bike you were after? On Trade Me, ends Sunday "
        "https://www.trademe.co.nz/a/marketplace/sports/cycling/listing/4827193650"
    ),
    (
        "Landed at OR Tambo 🛬 sharing my live location, should be home in ~40 min "
        "https://maps.app.goo.gl/bT6KwR2xNv8qYmP3A"
    ),
    (
        "Check this 2BHK in Koramangala, owner listing so no brokerage "
        "https://www.nobroker.in/property/rent/bangalore/Koramangala/8a9f2c41d7e04b1c"
    ),
    (
        "Coucou ! Voilà l'annonce Leboncoin pour le vélo dont je te parlais, 120 € "
        "négociable : https://www.leboncoin.fr/ad/velos/2873106452"
    ),
    (
        "Hier die Fotos vom Geburtstag 🎉 Danke nochmal fürs Kommen! "
        "https://photos.app.goo.gl/Lm4vQz8RkTy2XnWp6"
    ),
    (
        "Mira este piso en Idealista, está al lado del metro y tiene terraza!! "
        "https://www.idealista.com/inmueble/104827361/"
    ),
    (
        "Hoi! Hier is de Tikkie voor de pizza's van vrijdag, € 12,50 p.p. "
        "https://tikkie.me/pay/Kq7Zx2pLm9Rt"
    ),
    "Olha este vídeo 😂😂 é mesmo a tua cara https://youtu.be/Rt5nW8qLz0c",
)
