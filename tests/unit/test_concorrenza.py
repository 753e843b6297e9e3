"""Two staff members writing the timeline at the same instant, each in a session of their own
on a real SQLite file, as two handlers in two threads do.

Whatever they do, the timeline stays sound: positions are unique and contiguous, dated
milestones stay in year order, and every later save works.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, event
from sqlmodel import Session

from serena_app.contenuto import pagina
from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.contenuto.tipi import TAPPA, Voce
from serena_app.models import Tappa
from tests.factories import db_seminato, ripristina_contenuto

ATTESA = 30
PAUSA = 2.0


@pytest.fixture
def db(session, contenuto) -> Session:
    return db_seminato(session, contenuto)


def _tappe(engine: Engine) -> list[Tappa]:
    with Session(engine) as session:
        return pagina.leggi_elenco(session=session, pagina=PUBBLICATA, modello=Tappa)


def _voce(tappa: Tappa) -> Voce:
    return Voce(TAPPA.nome, id=tappa.id)


def _campi(tappa: Tappa, **altri) -> dict:
    return {"anno": tappa.anno, "titolo": tappa.titolo, "testo": tappa.testo, **altri}


def _insieme(engine: Engine, *scritture: Callable[[Session], object]) -> None:
    """Run each write in its own thread and session, released at the same instant; a write
    may be refused (`pagina`'s errors), never fail otherwise."""
    via = threading.Barrier(len(scritture))

    def esegui(scrittura: Callable[[Session], object]) -> None:
        with Session(engine) as session:
            via.wait(ATTESA)
            with suppress(pagina.Conflitto, pagina.NonTrovato, pagina.OrdineNonValido):
                scrittura(session)

    with ThreadPoolExecutor(len(scritture)) as esecutore:
        for futuro in [esecutore.submit(esegui, s) for s in scritture]:
            futuro.result(ATTESA)


def _sana(engine: Engine) -> None:
    """The invariants, then a save of every milestone as it is, which must work."""
    tappe = _tappe(engine)
    assert [t.posizione for t in tappe] == list(range(len(tappe)))
    assert pagina.in_ordine_di_anno(tappe), [(t.anno, t.titolo) for t in tappe]
    with Session(engine) as session:
        for tappa in tappe:
            pagina.salva(
                session=session,
                pagina=PUBBLICATA,
                voce=_voce(tappa),
                campi=_campi(tappa),
                versione=tappa.versione,
            )
    assert [t.id for t in _tappe(engine)] == [t.id for t in tappe]


def _sposta(tappa: Tappa, di: int) -> Callable[[Session], object]:
    def scrivi(session: Session):
        return pagina.sposta(session=session, pagina=PUBBLICATA, voce=_voce(tappa), di=di)

    return scrivi


def _data(tappa: Tappa, anno: int | None) -> Callable[[Session], object]:
    def scrivi(session: Session):
        return pagina.salva(
            session=session,
            pagina=PUBBLICATA,
            voce=_voce(tappa),
            campi=_campi(tappa, anno=anno),
            versione=tappa.versione,
        )

    return scrivi


def _aggiungi(anno: int | None) -> Callable[[Session], object]:
    def scrivi(session: Session):
        campi = {"anno": anno, "titolo": "Nuova tappa", "testo": "Aggiunta insieme."}
        return pagina.aggiungi(session=session, pagina=PUBBLICATA, tipo=TAPPA, campi=campi)

    return scrivi


def _elimina(tappa: Tappa) -> Callable[[Session], object]:
    def scrivi(session: Session):
        return pagina.elimina(
            session=session, pagina=PUBBLICATA, voce=_voce(tappa), versione=tappa.versione
        )

    return scrivi


@contextmanager
def _in_pausa_prima_di_scrivere(engine: Engine, ferma: threading.Event, via: threading.Event):
    """In the calling thread, the first statement that writes waits for `via` (at most
    `PAUSA` seconds, as a writer holding the lock must not wait for ever); `ferma` is set when
    it starts waiting, that is once every read before the write has run."""
    filo = threading.get_ident()

    def prima(_conn, _cursor, istruzione: str, *_argomenti) -> None:
        scrive = istruzione.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
        if threading.get_ident() == filo and scrive and not ferma.is_set():
            ferma.set()
            via.wait(PAUSA)

    event.listen(engine, "before_cursor_execute", prima)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", prima)


def test_a_move_up_and_a_new_year_at_the_same_instant_keep_the_timeline_in_order(
    engine, db, contenuto
):
    """The reported race, in its worst order: staff A has read the timeline to move the 1994
    milestone up (past the undated one above it) when staff B dates that one 1980 (it goes
    first, the positions between shift); then A writes. A's reads must run under A's write
    lock, so that B waits for A instead of changing the list under it."""
    tappe = _tappe(engine)
    ultima = next(t for t in tappe if t.anno == 1994)
    sopra = tappe[tappe.index(ultima) - 1]  # undated: the one A's move swaps with
    ferma, via = threading.Event(), threading.Event()

    def a(session: Session) -> None:
        with _in_pausa_prima_di_scrivere(engine, ferma, via):
            _sposta(ultima, -1)(session)

    def b(session: Session) -> None:
        assert ferma.wait(ATTESA)
        try:
            _data(sopra, 1980)(session)
        finally:
            via.set()

    _insieme(engine, a, b)
    _sana(engine)
    # As if one had written after the other: A then B, or B then A.
    altre = [t.id for t in tappe if t.id not in (sopra.id, ultima.id)]
    uno_poi_altro = [sopra.id, *altre, ultima.id], [sopra.id, *altre[:-1], ultima.id, altre[-1]]
    assert [t.id for t in _tappe(engine)] in uno_poi_altro


OPERAZIONI = st.one_of(
    st.tuples(st.just("sposta"), st.integers(0, 9), st.sampled_from([-1, 1])),
    st.tuples(st.just("data"), st.integers(0, 9), st.one_of(st.none(), st.integers(1950, 2030))),
    st.tuples(st.just("aggiungi"), st.one_of(st.none(), st.integers(1950, 2030))),
    st.tuples(st.just("elimina"), st.integers(0, 9)),
)


def _scrittura(operazione: tuple, tappe: list[Tappa]) -> Callable[[Session], object]:
    nome, *argomenti = operazione
    if nome == "aggiungi":
        return _aggiungi(argomenti[0])
    tappa = tappe[argomenti[0] % len(tappe)]
    if nome == "sposta":
        return _sposta(tappa, argomenti[1])
    if nome == "data":
        return _data(tappa, argomenti[1])
    return _elimina(tappa)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(passi=st.lists(st.tuples(OPERAZIONI, OPERAZIONI), min_size=1, max_size=4))
def test_any_two_writes_at_the_same_instant_keep_the_timeline_sound(engine, db, contenuto, passi):
    """Pairs of moves, year changes, adds and deletes by two staff members, step after step."""
    ripristina_contenuto(db, contenuto)
    for prima, seconda in passi:
        tappe = _tappe(engine)
        if len(tappe) < 2:
            break
        _insieme(engine, _scrittura(prima, tappe), _scrittura(seconda, tappe))
        _sana(engine)
