"""Demo legal texts and company identity: a tour operator under Italian law (Codice del Turismo, d.lgs.
79/2011; GDPR, Reg. UE 2016/679), in Italian and English. Sample texts for a demo, not legal advice:
a DMC going live has its own lawyer rewrite them in the Wagtail admin."""

COMPANY = {
    "legal_name": "Terre di Lucca e Casentino S.r.l.",
    "address": "Piazza San Michele 1\n55100 Lucca (LU), Italia",
    "vat_number": "IT01234560467",
    "registration": "REA LU-123456 · Autorizzazione agenzia di viaggi e tour operator n. 42/2024 Provincia di Lucca",
    "phone": "+39 0583 000 123",
    "email": "info@terredilucca.example",
}

TERMS_IT = """
<p>Le presenti condizioni generali regolano la vendita di pacchetti turistici organizzati da
Terre di Lucca e Casentino S.r.l. (di seguito "l'Organizzatore") ai sensi del Codice del Turismo
(d.lgs. 23 maggio 2011, n. 79, come modificato dal d.lgs. 21 maggio 2018, n. 62, attuativo della
direttiva (UE) 2015/2302).</p>
<h2>1. Contratto e informazioni precontrattuali</h2>
<p>Prima della conclusione del contratto il viaggiatore riceve il modulo informativo standard e le
informazioni dell'art. 34 del Codice del Turismo: caratteristiche dei servizi, prezzo totale comprensivo
di tasse e oneri, modalità di pagamento, numero minimo di partecipanti, condizioni di recesso.
Il contratto si conclude con la conferma della prenotazione inviata per e-mail dopo il pagamento.</p>
<h2>2. Prezzo e pagamento</h2>
<p>I prezzi sono in euro, IVA inclusa, per il regime speciale delle agenzie di viaggio (art. 74-ter
d.P.R. 633/1972). Il pagamento avviene online con carta al momento della prenotazione. Il prezzo può
essere modificato fino a 20 giorni prima della partenza solo per le variazioni dell'art. 39; un aumento
superiore all'8% dà al viaggiatore il diritto di recedere senza penali.</p>
<h2>3. Recesso del viaggiatore</h2>
<p>Il viaggiatore può recedere in ogni momento prima dell'inizio del pacchetto pagando le spese di recesso
indicate nella scheda del pacchetto (art. 41). La cancellazione è gratuita fino al termine indicato
nella scheda; dopo, si applicano le percentuali della politica di cancellazione del pacchetto. Il
recesso è sempre gratuito in caso di circostanze inevitabili e straordinarie nel luogo di destinazione.
Non si applica il diritto di ripensamento previsto per i contratti a distanza (art. 47, comma 1, lett. g)
del Codice del Consumo).</p>
<h2>4. Modifiche e cessione</h2>
<p>Il viaggiatore può cedere il contratto a un'altra persona dandone comunicazione almeno 7 giorni prima
della partenza (art. 38). L'Organizzatore comunica senza ritardo ogni modifica significativa delle
prestazioni e le alternative offerte.</p>
<h2>5. Responsabilità e assistenza</h2>
<p>L'Organizzatore è responsabile dell'esecuzione di tutti i servizi del pacchetto (art. 42), anche se
prestati da fornitori locali, e presta assistenza al viaggiatore in difficoltà (art. 45). I difetti
vanno segnalati senza ritardo al numero di assistenza indicato nel documento di viaggio.</p>
<h2>6. Garanzie</h2>
<p>L'Organizzatore è coperto da polizza di responsabilità civile professionale e da garanzia per i casi
di insolvenza o fallimento (art. 47), che assicura il rimborso del prezzo versato e il rientro.</p>
<h2>7. Reclami e controversie</h2>
<p>I reclami si inviano per iscritto a info@terredilucca.example. Il viaggiatore può ricorrere alla
piattaforma europea ODR (https://ec.europa.eu/consumers/odr). Foro competente: quello del consumatore.</p>
"""

TERMS_EN = """
<p>These general terms govern the sale of package travel organised by Terre di Lucca e Casentino S.r.l.
(the "Organiser") under the Italian Tourism Code (Legislative Decree 79/2011, as amended by Legislative
Decree 62/2018 implementing Directive (EU) 2015/2302 on package travel).</p>
<h2>1. Contract and pre-contractual information</h2>
<p>Before the contract is concluded the traveller receives the standard information form and the
information required by article 34 of the Tourism Code: the main features of the services, the total
price including taxes and charges, payment terms, the minimum number of participants and the
cancellation terms. The contract is concluded by the booking confirmation e-mailed after payment.</p>
<h2>2. Price and payment</h2>
<p>Prices are in euro and include VAT under the special scheme for travel agencies. Payment is taken
online by card when booking. The price may change up to 20 days before departure only for the reasons
in article 39; an increase of more than 8% entitles the traveller to withdraw without penalty.</p>
<h2>3. Cancellation by the traveller</h2>
<p>The traveller may cancel at any time before the package starts, paying the cancellation charges shown
on the package page (article 41). Cancellation is free until the date shown on the package page; after
it the percentages of the package's cancellation policy apply. Cancellation is always free in the event
of unavoidable and extraordinary circumstances at the destination. The 14-day withdrawal right for
distance contracts does not apply to package travel.</p>
<h2>4. Changes and transfer</h2>
<p>The traveller may transfer the contract to another person by telling us at least 7 days before
departure (article 38). The Organiser tells the traveller without delay of any significant change to
the services and of the alternatives offered.</p>
<h2>5. Liability and assistance</h2>
<p>The Organiser is responsible for the performance of every service in the package (article 42), also
when provided by local suppliers, and assists travellers in difficulty (article 45). Please report any
lack of conformity without delay to the assistance number on your travel document.</p>
<h2>6. Protection</h2>
<p>The Organiser holds professional liability insurance and insolvency protection (article 47), which
refunds the price paid and ensures repatriation.</p>
<h2>7. Complaints and disputes</h2>
<p>Send complaints in writing to info@terredilucca.example. Travellers may use the EU Online Dispute
Resolution platform (https://ec.europa.eu/consumers/odr). The courts of the consumer's residence have
jurisdiction.</p>
"""

PRIVACY_IT = """
<p>Informativa resa ai sensi degli artt. 13 e 14 del Regolamento (UE) 2016/679 (GDPR) a chi visita il sito
e a chi prenota.</p>
<h2>Titolare del trattamento</h2>
<p>Terre di Lucca e Casentino S.r.l., Piazza San Michele 1, 55100 Lucca, info@terredilucca.example.</p>
<h2>Dati trattati e finalità</h2>
<ul>
<li>Dati di prenotazione (nome, contatti, partecipanti, date): per eseguire il contratto di viaggio
(art. 6.1.b GDPR) e comunicarli ai fornitori locali che prestano i servizi.</li>
<li>Dati di pagamento: trattati da Stripe, che agisce come titolare autonomo; noi non vediamo il numero
della carta.</li>
<li>Dati fiscali e contabili: per gli obblighi di legge (art. 6.1.c), conservati 10 anni.</li>
<li>Dati di navigazione e cookie tecnici: per il funzionamento del sito; non usiamo cookie di profilazione.</li>
</ul>
<h2>Conservazione</h2>
<p>I dati di prenotazione sono conservati per la durata del contratto e per 10 anni per gli obblighi
fiscali; gli account inattivi sono cancellati dopo 24 mesi.</p>
<h2>Diritti</h2>
<p>Puoi chiedere accesso, rettifica, cancellazione, limitazione, portabilità e opporti al trattamento
scrivendo a info@terredilucca.example. Puoi proporre reclamo al Garante per la protezione dei dati
personali (www.garanteprivacy.it).</p>
"""

PRIVACY_EN = """
<p>Notice under articles 13 and 14 of Regulation (EU) 2016/679 (GDPR) to visitors of this site and to
people who book.</p>
<h2>Controller</h2>
<p>Terre di Lucca e Casentino S.r.l., Piazza San Michele 1, 55100 Lucca, Italy, info@terredilucca.example.</p>
<h2>What we process and why</h2>
<ul>
<li>Booking data (name, contact details, travellers, dates): to perform the travel contract (art. 6.1.b
GDPR) and to pass them to the local suppliers who provide the services.</li>
<li>Payment data: processed by Stripe as an independent controller; we never see your card number.</li>
<li>Tax and accounting records: to meet legal obligations (art. 6.1.c), kept for 10 years.</li>
<li>Browsing data and technical cookies: to run the site; we use no profiling cookies.</li>
</ul>
<h2>How long</h2>
<p>Booking data are kept for the duration of the contract and for 10 years for tax purposes; inactive
accounts are deleted after 24 months.</p>
<h2>Your rights</h2>
<p>You may ask for access, rectification, erasure, restriction and portability, and object to processing,
by writing to info@terredilucca.example. You may lodge a complaint with the Italian data protection
authority, the Garante per la protezione dei dati personali (www.garanteprivacy.it).</p>
"""

LEGAL_PAGES = [
    (
        "terms",
        {
            "title": "Condizioni generali di vendita di pacchetti turistici",
            "slug": "condizioni-generali-di-vendita",
            "summary": "Le regole del contratto di viaggio: prezzo, pagamento, recesso, garanzie.",
            "body": TERMS_IT,
        },
        {
            "title": "Terms of sale of package travel",
            "slug": "terms-of-sale",
            "summary": "The rules of the travel contract: price, payment, cancellation, protection.",
            "body": TERMS_EN,
        },
    ),
    (
        "privacy",
        {
            "title": "Informativa sulla privacy",
            "slug": "privacy",
            "summary": "Come trattiamo i tuoi dati personali (GDPR).",
            "body": PRIVACY_IT,
        },
        {
            "title": "Privacy notice",
            "slug": "privacy",
            "summary": "How we process your personal data (GDPR).",
            "body": PRIVACY_EN,
        },
    ),
]


def load_legal(home, en_locale, ensure) -> None:
    """The legal pages under the home page and the default site's company identity, once: a page or an
    identity an editor has already written is left as it is."""
    import datetime as dt

    from wagtail.models import Site

    from .models import CompanyIdentity, LegalPage

    for kind, it, en in LEGAL_PAGES:
        existing = LegalPage.objects.filter(kind=kind, locale=home.locale).first()
        if existing is None:
            ensure(
                home,
                LegalPage,
                common={"kind": kind, "last_updated": dt.date(2026, 1, 15)},
                it=dict(it),
                en=dict(en),
                en_locale=en_locale,
            )
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        identity = CompanyIdentity.for_site(site)
        if not identity.legal_name:
            for field, value in COMPANY.items():
                setattr(identity, field, value)
            identity.save()
