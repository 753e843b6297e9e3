"""The snapshot of a page: what every visitor's state starts from."""

from serena_app.contenuto.istantanea import leggi_istantanea, paragrafi
from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.contenuto.semina import semina
from serena_app.models import Tappa


def test_paragraphs_split_on_blank_lines():
    assert paragrafi("Uno.\n\nDue.\n\n\n") == ["Uno.", "Due."]
    assert paragrafi("") == []


def test_page_holds_every_text_in_display_order(session, contenuto):
    semina(session=session, contenuto=contenuto)
    pagina = leggi_istantanea(session=session, pagina=PUBBLICATA)
    assert pagina.sezioni["mission"] == paragrafi(contenuto["sezioni"]["mission"])
    assert pagina.sezioni["storia_intro"] == paragrafi(contenuto["sezioni"]["storia_intro"])
    assert [v.titolo for v in pagina.valori] == [v["titolo"] for v in contenuto["valori"]]
    assert [v.numero for v in pagina.valori] == list(range(1, len(contenuto["valori"]) + 1))
    assert [t.anno for t in pagina.tappe] == [str(t.get("anno", "")) for t in contenuto["tappe"]]


def test_page_follows_positions_not_insertion_order(session, contenuto):
    semina(session=session, contenuto=contenuto)
    session.add(Tappa(pagina=PUBBLICATA.nome, titolo="Nuova tappa", testo="Testo.", posizione=-1))
    session.commit()
    assert leggi_istantanea(session=session, pagina=PUBBLICATA).tappe[0].titolo == "Nuova tappa"
