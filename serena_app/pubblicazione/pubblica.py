"""Publishing and discarding the drafts: one entry point each, whoever calls them.

`pubblica` applies exactly the drafts a person confirmed, in one locked transaction
(`contenuto/bozze.py`), and returns both pages as they are now. Then, for the site (a demo
sandbox is seen by its own browser only), in order: the HTML this machine serves is built
for the new version (`build.py`; every other machine builds when it hears), and the change is
notified to every app process (`notifica.py`), which pushes it to its open pages. The staff
bar's "Pubblica" and `serena publish` both call it, and a scheduled publish calls
`pubblica_programmata` (the drafts as they are when it runs); `scarta` is the same for
"Scarta bozze". A tab that publishes or discards says whose session it is (`dal`): the same
database session then reads why its undo has nothing left, for the disabled button.
"""

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from serena_app import db
from serena_app.contenuto import bozze, cronologia, istantanea
from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.pagina import PUBBLICATA, SITO, Pagina, Spazio
from serena_app.pubblicazione import notifica
from serena_app.pubblicazione.build import Avviso, ricostruzione

AUTORE_COMANDO = "serena publish"  # how history signs a publish made from a terminal


class NienteDaPubblicare(Exception):
    """The working copy holds no change."""

    def __str__(self) -> str:
        return "Non ci sono modifiche in bozza: niente da pubblicare."


@dataclasses.dataclass(frozen=True)
class Esito:
    """Both pages of a space after a publish or a discard, and the changes it applied."""

    pubblicata: Istantanea
    bozza: Istantanea
    modifiche: list[str]
    # Why "Annulla ultima modifica" has nothing of the author's to undo now, in its refusal's
    # words ("" if it has), when the caller gave the session's start (`dal`); None if not.
    perche_non_annullare: str | None = None


def _applica(
    azione: Callable[..., int],
    spazio: Spazio,
    versione: int | None,
    elenco: list[str] | None,
    autore: str,
    dal: datetime | None = None,
    **insieme: Callable[[Session], None],
) -> Esito:
    """Run `bozze.pubblica` or `bozze.scarta` and read both pages after, and, given the
    start `dal` of `autore`'s staff session, why their undo has nothing left, in one
    database session (blocking: called in a thread); `insieme` goes to `bozze.pubblica`."""
    with db.session() as session:
        if elenco is None:  # from a terminal: what is there now, read with its counter
            bozze.apri(session=session, spazio=spazio)
            versione, differenze = bozze.da_pubblicare(session=session, spazio=spazio)
            elenco = [str(d) for d in differenze]
            if not elenco:
                raise NienteDaPubblicare
        azione(
            session=session,
            spazio=spazio,
            versione=versione,
            elenco=elenco,
            autore=autore,
            **insieme,
        )
        perche = (
            None
            if dal is None
            else cronologia.perche_non_annullabile(
                session=session, spazio=spazio, autore=autore, dal=dal
            )
        )
        return Esito(
            istantanea.aggiornata(spazio.pubblicata, session=session),
            istantanea.aggiornata(spazio.bozza, session=session),
            elenco,
            perche,
        )


async def _notifica(esito: Esito, escluso: str) -> None:
    """Tell every app process about both pages of the site, as they are now."""
    for pagina in (esito.pubblicata, esito.bozza):
        await notifica.invia(pagina.pagina, pagina.versione, escluso)


async def pubblica(
    spazio: Spazio,
    *,
    versione: int,
    elenco: list[str],
    autore: str,
    dal: datetime | None = None,
    escluso: str = "",
    avviso: Avviso | None = None,
    insieme: Callable[[Session], None] | None = None,
) -> Esito:
    """Publish exactly the drafts `elenco` of `spazio`, if its working copy is still at
    `versione`; then build and notify (the site only).

    Args:
        dal: When `autore`'s staff session began, from a tab: the result then says why
            their undo has nothing left (`Esito.perche_non_annullare`).
        escluso: The client token of the tab that published (it shows the result itself).
        avviso: Told in Italian if the build of the served HTML fails.
        insieme: Run in the publish's own transaction, after its checks (a publication
            request decided, `richieste.py`); what it raises publishes nothing.

    Raises:
        bozze.BozzaCambiata: The drafts changed meanwhile; nothing was published.
    """
    extra = {"insieme": insieme} if insieme is not None else {}
    esito = await asyncio.to_thread(
        _applica, bozze.pubblica, spazio, versione, elenco, autore, dal, **extra
    )
    if spazio == SITO:
        ricostruzione().richiedi(esito.pubblicata.versione, avviso=avviso)
        await _notifica(esito, escluso)
    return esito


async def scarta(
    spazio: Spazio,
    *,
    versione: int,
    elenco: list[str],
    autore: str,
    dal: datetime | None = None,
    escluso: str = "",
) -> Esito:
    """Drop exactly the drafts `elenco` of `spazio`, if its working copy is still at
    `versione`; then notify (the site only). `dal` and `escluso` as for `pubblica`.

    Raises:
        bozze.BozzaCambiata: The drafts changed meanwhile; nothing was dropped.
    """
    esito = await asyncio.to_thread(_applica, bozze.scarta, spazio, versione, elenco, autore, dal)
    if spazio == SITO:
        await _notifica(esito, escluso)
    return esito


async def pubblica_programmata(autore: str, *, insieme: Callable[[Session], None]) -> Esito:
    """Publish every draft of the site as it is now (a scheduled publish, run with no browser
    open), signed `autore`; then build and notify, as `pubblica` does.

    Args:
        autore: How history signs it ("anna (programmata)").
        insieme: Run inside the publish's transaction (the schedule's row marked done).

    Raises:
        NienteDaPubblicare: There is no draft; nothing changed.
    """
    esito = await asyncio.to_thread(
        _applica, bozze.pubblica, SITO, None, None, autore, insieme=insieme
    )
    ricostruzione().richiedi(esito.pubblicata.versione)
    await _notifica(esito, "")
    return esito


@notifica.ascolta
async def _costruisci(pagina: Pagina, versione: int, escluso: str) -> None:
    """Every app process, on every machine, builds the HTML it serves for each new version of
    the published page, whoever published it (a process that finds it built by another
    process sharing its archive builds nothing)."""
    if pagina == PUBBLICATA:
        ricostruzione().richiedi(versione)


def pubblica_da_comando() -> list[str]:
    """`serena publish`: publish every draft of the site as it is now, and tell the running
    app processes (which push it to their open pages and build the HTML they serve).

    Returns:
        The changes published, one line each.

    Raises:
        NienteDaPubblicare: There is no draft.
    """
    esito = _applica(bozze.pubblica, SITO, None, None, AUTORE_COMANDO)
    for pagina in (esito.pubblicata, esito.bozza):
        notifica.invia_da_comando(pagina.pagina, pagina.versione)
    return esito.modifiche
