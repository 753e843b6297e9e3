"""History as the panels show it: each revision with its action and author in words, when
("3 minuti fa", and the exact Italian time), the version it would restore as its word diff (a
long text folded to the sentences that changed), whether restoring it would change anything,
and the name of its buttons ("delle 17:02", unique in the list); ten at a time, read page by
page from the database; and one version compared with the current text (`cronologia.py`
keeps and restores revisions; this module only reads and words them)."""

import dataclasses
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from serena_app.contenuto import cronologia, pagina
from serena_app.contenuto.bozze import PAGINA
from serena_app.contenuto.pagina import Elemento, Spazio
from serena_app.contenuto.parole import nome_voce
from serena_app.contenuto.tipi import NOMI_LINGUE, SEZIONE, Voce
from serena_app.contenuto.viste import Pezzo, RevisioneVista
from serena_app.lingue import INGLESE, ITALIANO, tempo
from serena_app.lingue.tempo import FUSO
from serena_app.models import Revisione, Tappa, Valore

PER_PAGINA = 10  # entries a history panel shows at first, and adds at each "Mostra …"
LUNGO = 300  # a diff longer than this (characters) is shown folded
FINE_FRASE = ".!?…"


@dataclasses.dataclass(frozen=True)
class Elenco:
    """A page of a history panel: its entries, newest first, and whether older ones remain."""

    voci: list[RevisioneVista]
    altre: bool


AZIONI = {
    "creata": "Testo di partenza",
    "salvata": "Salvata",
    "aggiunta": "Aggiunta",
    "eliminata": "Eliminata",
    "spostata": "Spostata",
    "ripristinata": "Ripristinata",
    "annullata": "Modifica annullata",
    "pubblicata": "Pubblicata",
}


def fa(quando: datetime, ora: datetime) -> str:
    """How long ago, in Italian: "adesso", "3 minuti fa", "2 ore fa", "ieri", "5 giorni fa"."""
    secondi = int((ora - quando).total_seconds())
    if secondi < 60:
        return "adesso"
    for unita, nome in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if secondi >= unita:
            n = secondi // unita
            if unita == 86400 and n == 1:
                return "ieri"
            return tempo.fa(n, nome)
    return "adesso"


def esatto(quando: datetime) -> str:
    return tempo.data_e_ora(quando)


def momento(quando: datetime, ora: datetime) -> str:
    """When, as a version's name says it (Italian time): "delle 17:02", "delle 17:02 di ieri",
    "del 3 dicembre alle 17:02", "del 3 dicembre 2025 alle 17:02"."""
    allora, oggi = quando.astimezone(FUSO), ora.astimezone(FUSO)
    orario = f"{allora:%H:%M}"
    if allora.date() == oggi.date():
        return f"delle {orario}"
    if allora.date() == oggi.date() - timedelta(days=1):
        return f"delle {orario} di ieri"
    return f"del {tempo.giorno(allora, anno=allora.year != oggi.year)} alle {orario}"


def _minuto(quando: datetime) -> datetime:
    return _utc(quando).replace(second=0, microsecond=0)


def _momenti(
    session: Session, righe: list[Revisione], condizioni: list, ora: datetime
) -> dict[int, str]:
    """Each entry's name: when it was made, in words, and, where more revisions of the same
    history (`condizioni`) share that minute, which of them it is: "delle 17:02 (2 di 3)"."""
    minuti = {_minuto(r.quando) for r in righe}
    if not minuti:
        return {}
    nello_stesso_minuto = or_(
        *(
            and_(col(Revisione.quando) >= m, col(Revisione.quando) < m + timedelta(minutes=1))
            for m in minuti
        )
    )
    vicine = session.exec(
        select(Revisione.id, Revisione.quando)
        .where(*condizioni, nello_stesso_minuto)
        .order_by(col(Revisione.id))
    )
    per_minuto: dict[datetime, list[int | None]] = defaultdict(list)
    for numero, quando in vicine:
        per_minuto[_minuto(quando)].append(numero)
    nomi = {}
    for riga in righe:
        nome = momento(_utc(riga.quando), ora)
        stesse = per_minuto[_minuto(riga.quando)]
        if len(stesse) > 1 and riga.id in stesse:
            nome += f" ({stesse.index(riga.id) + 1} di {len(stesse)})"
        nomi[riga.id or 0] = nome
    return nomi


def _frasi(pezzi: list[Pezzo]) -> list[list[Pezzo]]:
    """A diff cut into sentences (after ".", "!", "?", "…" and a space, or at a new line)."""
    frasi: list[list[tuple[str, str]]] = [[]]
    alla_fine = False  # the last word ended a sentence
    for pezzo in pezzi:
        for parola in cronologia.PAROLE.findall(pezzo.testo):
            frasi[-1].append((pezzo.tipo, parola))
            if not parola.isspace():
                alla_fine = parola[-1] in FINE_FRASE
            elif alla_fine or "\n" in parola:
                frasi.append([])
                alla_fine = False
    return [_unisci(frase) for frase in frasi if frase]


def _unisci(parole: list[tuple[str, str]]) -> list[Pezzo]:
    pezzi: list[Pezzo] = []
    for tipo, parola in parole:
        if pezzi and pezzi[-1].tipo == tipo:
            pezzi[-1] = Pezzo(tipo, pezzi[-1].testo + parola)
        else:
            pezzi.append(Pezzo(tipo, parola))
    return pezzi


def piega(pezzi: list[Pezzo], *, fino_a: int | None = LUNGO) -> list[Pezzo] | None:
    """A long diff folded to the sentences that changed (up to about `fino_a` characters;
    None: all of them), with "…" where sentences are left out; None for a short one, shown
    whole."""
    if sum(len(p.testo) for p in pezzi) <= LUNGO:
        return None
    frasi = _frasi(pezzi)
    cambiate = [n for n, f in enumerate(frasi) if any(p.tipo != "uguale" for p in f)] or [0]
    piegati: list[Pezzo] = []
    precedente, lunghezza = -1, 0
    for numero in cambiate:
        if piegati and fino_a is not None and lunghezza > fino_a:
            break
        if numero != precedente + 1:
            piegati.append(Pezzo("uguale", "… "))
        piegati.extend(frasi[numero])
        lunghezza += sum(len(p.testo) for p in frasi[numero])
        precedente = numero
    if precedente != len(frasi) - 1:
        piegati.append(Pezzo("uguale", " …"))
    return piegati


def _utc(quando: datetime) -> datetime:
    return quando if quando.tzinfo else quando.replace(tzinfo=UTC)


def _testo(dati: dict | None, lingua: str | None = None) -> str:
    """What a diff compares: an item's fields as lines (the year, the title, the text); those
    of a revision's language (English: the English title and text)."""
    if not dati:
        return ""
    campi = ("titolo_en", "testo_en") if lingua == INGLESE else ("anno", "titolo", "testo")
    return "\n".join(str(dati[c]) for c in campi if dati.get(c) is not None)


def azione_di(revisione: Revisione) -> str:
    """How the panel names a revision's change: "Salvata", "Salvata in inglese"."""
    azione = AZIONI.get(revisione.azione, revisione.azione)
    if revisione.lingua and revisione.lingua != ITALIANO:
        return f"{azione} in {NOMI_LINGUE.get(revisione.lingua, revisione.lingua)}"
    return azione


def differenza(prima: str, dopo: str) -> list[Pezzo]:
    """What changed from `prima` to `dopo`, word by word, as the panel draws it."""
    return [Pezzo(t, s) for t, s in cronologia.differenza_parole(prima, dopo)]


def vista(
    revisione: Revisione, ora: datetime, *, momento: str = "", ripristinabile: bool = False
) -> RevisioneVista:
    """A revision as the panel lists it (the version it keeps, folded if long)."""
    prima, dopo = (json.loads(t) if t else None for t in (revisione.prima, revisione.dopo))
    piegati = None
    lingua = revisione.lingua or ITALIANO
    if revisione.azione == "spostata" and prima and dopo:
        lingua = ITALIANO  # a move is said in words of the panel's own
        pezzi = [
            Pezzo(
                "uguale",
                f"Dalla posizione {prima['posizione'] + 1} alla {dopo['posizione'] + 1}.",
            )
        ]
    elif revisione.tipo != PAGINA:
        pezzi = differenza(_testo(prima, revisione.lingua), _testo(dopo, revisione.lingua))
        piegati = piega(pezzi)
    else:
        pezzi = []
    quando = _utc(revisione.quando)
    return RevisioneVista(
        numero=revisione.id or 0,
        azione=azione_di(revisione),
        autore=revisione.autore or "file dei contenuti",
        quando=fa(quando, ora),
        esatto=esatto(quando),
        iso=quando.isoformat(timespec="seconds"),
        pezzi=pezzi if piegati is None else piegati,
        ripristinabile=ripristinabile,
        momento=momento,
        piegata=piegati is not None,
        testo="" if piegati is None else _testo(dopo or prima, revisione.lingua),
        lingua=lingua,
    )


def nome_di(revisione: Revisione) -> str:
    """How announcements name a revision's item: "Testo della mission", "Valore «Ascolto»"."""
    dati = json.loads(revisione.dopo or revisione.prima or "{}")
    return nome_voce(Voce(revisione.tipo, revisione.chiave), dati.get("titolo", ""))


def _attuale(session: Session, spazio: Spazio, trovata: Voce) -> tuple[str, Elemento] | None:
    """History's name of an item of the working copy (a section's key, an item's code), and
    the item as it stands; None if it is gone."""
    elemento = pagina.leggi_elemento(session=session, pagina=spazio.bozza, voce=trovata)
    if trovata.tipo == SEZIONE.nome:
        return (trovata.chiave, elemento) if elemento is not None else None
    return (elemento.codice, elemento) if isinstance(elemento, Tappa | Valore) else None


def _pagina_di(righe: list[Revisione], quante: int) -> tuple[list[Revisione], bool]:
    return righe[:quante], len(righe) > quante


def di(
    *,
    session: Session,
    spazio: Spazio,
    voce: Voce,
    prima_di: int | None = None,
    quante: int = PER_PAGINA,
) -> Elenco | None:
    """The revisions of an item of the working copy, newest first: the `quante` older than
    revision `prima_di` (None: the newest); None if the item is gone."""
    attuale = _attuale(session, spazio, voce)
    if attuale is None:
        return None
    chiave, elemento = attuale
    righe, altre = _pagina_di(
        cronologia.di(
            session=session,
            spazio=spazio,
            chiave=chiave,
            prima_di=prima_di,
            quante=quante + 1,
            lingua=voce.lingua,
        ),
        quante,
    )
    ora = datetime.now(UTC)
    nomi = _momenti(session, righe, cronologia.condizioni_di(spazio, chiave, voce.lingua), ora)
    voci = [
        vista(
            r,
            ora,
            momento=nomi[r.id or 0],
            ripristinabile=cronologia.cambierebbe(r, elemento),
        )
        for r in righe
    ]
    return Elenco(voci, altre)


def confronto(*, session: Session, spazio: Spazio, voce: Voce, numero: int) -> list[Pezzo] | None:
    """What separates the version revision `numero` kept of an item from its current text in
    the working copy: the words taken out since, and put in (folded if long). None if that is
    no revision of this item, or the item is gone."""
    attuale = _attuale(session, spazio, voce)
    revisione = session.get(Revisione, numero)
    if attuale is None or revisione is None:
        return None
    chiave, elemento = attuale
    if revisione.spazio != spazio.pubblicata.nome or revisione.chiave != chiave:
        return None
    dati = cronologia.da_ripristinare(revisione)
    if dati is None:
        return None
    lingua = revisione.lingua
    pezzi = differenza(_testo(dati, lingua), _testo(pagina.campi_di(elemento), lingua))
    return piega(pezzi) or pezzi


def pubblicazioni(
    *,
    session: Session,
    spazio: Spazio,
    prima_di: int | None = None,
    quante: int = PER_PAGINA,
) -> Elenco:
    """The page's publishes, newest first (without a diff): the `quante` older than revision
    `prima_di`; each restorable where it differs from the working copy now."""
    righe, altre = _pagina_di(
        cronologia.pubblicazioni(
            session=session, spazio=spazio, prima_di=prima_di, quante=quante + 1
        ),
        quante,
    )
    ora = datetime.now(UTC)
    nomi = _momenti(session, righe, cronologia.condizioni_pubblicazioni(spazio), ora)
    bozza = pagina.contenuto_di(session=session, pagina=spazio.bozza, codici=True)
    voci = [
        vista(
            r,
            ora,
            momento=nomi[r.id or 0],
            ripristinabile=r.dopo is not None and json.loads(r.dopo) != bozza,
        )
        for r in righe
    ]
    return Elenco(voci, altre)
