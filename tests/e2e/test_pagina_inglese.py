"""`/en/`, the page in English, as a page of its own: for search engines (its language, title,
description, share tags, structured data, canonical address and the alternates of both pages;
the sitemap), for browsers without JavaScript (every English text in the served HTML, also
after a publish) and for screen readers (`<html lang="en">` before and after hydration, axe).

The chrome's words (menu, buttons, footer) are not asserted here: the content is, read from the
content file."""

import json
import re
import time
from html.parser import HTMLParser

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from serena_app.contenuto import bozze
from serena_app.contenuto.istantanea import paragrafi
from serena_app.contenuto.pagina import BOZZA, SITO, leggi_elemento, salva
from serena_app.pubblicazione.archivio import Archivio
from tests.e2e.conftest import ATTESA_BUILD_S, attendi_build, serena_publish
from tests.factories import MISSION
from tests.support.axe import violazioni
from tests.support.server import Server

PAGINE = {"it": "/", "en": "/en/"}
LOCALI = {"it": "it_IT", "en": "en_GB"}


class LetturaTesta(HTMLParser):
    """What a crawler reads of a served page: `<html lang>`, `<title>`, each `<meta>`'s
    content by name or property, `<link>`s, and the JSON-LD."""

    def __init__(self, html: str):
        super().__init__()
        self.lang: str | None = None
        self.titolo = ""
        self.meta: dict[str, list[str]] = {}
        self.link: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta" and "content" in a:
            chiave = a.get("property") or a.get("name")
            if chiave:
                self.meta.setdefault(chiave, []).append(a["content"])
        elif tag == "link":
            self.link.append(a)
        elif tag == "title" or (tag == "script" and a.get("type") == "application/ld+json"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.titolo += data
        elif self._in == "script":
            self.json_ld.append(data)

    def alternative(self) -> dict[str, str]:
        """hreflang → href of every `<link rel="alternate" hreflang>`."""
        return {
            link["hreflang"]: link["href"]
            for link in self.link
            if link.get("rel") == "alternate" and "hreflang" in link
        }

    def canonico(self) -> list[str]:
        return [link["href"] for link in self.link if link.get("rel") == "canonical"]


def _testa(server: Server, percorso: str) -> tuple[str, LetturaTesta]:
    risposta = httpx.get(server.url + percorso)
    assert risposta.status_code == 200, percorso
    return risposta.text, LetturaTesta(risposta.text)


def _in(contenuto: dict, chiave: str, lingua: str):
    return contenuto[chiave if lingua == "it" else f"{chiave}_{lingua}"]


def _testi_inglesi(contenuto: dict) -> list[str]:
    """Every English text of the content file the page shows."""
    testi = [p for testo in contenuto["sezioni_en"].values() for p in paragrafi(testo)]
    testi += [contenuto["sottotitolo_en"], *contenuto["titoli_en"].values()]
    for chiave in ("tappe", "valori"):
        testi += [v["titolo_en"] for v in contenuto[chiave]]
        testi += [v["testo_en"] for v in contenuto[chiave]]
    return testi


NON_MOSTRATI = {"script", "style", "template"}  # data the page holds, never shown as text


def _testo_visibile(html: str) -> str:
    """The served HTML's text as a reader without JavaScript gets it (entities decoded): not
    the scripts, styles or the initial state's template."""
    parti: list[str] = []
    dentro: list[str] = []

    class Testo(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in NON_MOSTRATI:
                dentro.append(tag)

        def handle_endtag(self, tag):
            if dentro and dentro[-1] == tag:
                dentro.pop()

        def handle_data(self, data):
            if not dentro:
                parti.append(data)

    Testo().feed(html)
    return "".join(parti)


def test_each_language_has_its_own_head_pointing_at_the_other(server: Server, contenuto):
    """Before any JavaScript: `/` unchanged in Italian, `/en/` in English, and both name each
    other (hreflang it, en, x-default → `/`) and their locales."""
    attese = {lingua: server.url + percorso for lingua, percorso in PAGINE.items()}
    teste = {lingua: _testa(server, percorso)[1] for lingua, percorso in PAGINE.items()}
    assert teste["it"].titolo != teste["en"].titolo
    for lingua, testa in teste.items():
        altra = next(codice for codice in PAGINE if codice != lingua)
        assert testa.lang == lingua
        assert testa.meta["description"] == [_in(contenuto, "descrizione", lingua)]
        assert testa.meta["og:description"] == [_in(contenuto, "descrizione", lingua)]
        assert testa.meta["og:locale"] == [LOCALI[lingua]]
        assert testa.meta["og:locale:alternate"] == [LOCALI[altra]]
        assert testa.meta["og:url"] == [attese[lingua]]
        assert testa.meta["og:title"] == [testa.titolo]
        for alt in ("og:image:alt", "twitter:image:alt"):
            sottotitolo = _in(contenuto, "sottotitolo", lingua)
            assert testa.meta[alt] == [f"{contenuto['nome']}, {contenuto['citta']}: {sottotitolo}"]
        assert testa.canonico() == [attese[lingua]]
        assert testa.alternative() == {**attese, "x-default": attese["it"]}
        (blocco,) = testa.json_ld
        dati = json.loads(blocco)
        assert dati["@type"] == "NGO"
        assert dati["description"] == _in(contenuto, "descrizione", lingua)
        assert dati["mainEntityOfPage"] == {
            "@type": "WebPage",
            "url": attese[lingua],
            "inLanguage": lingua,
        }


def test_the_english_html_holds_every_english_text(server: Server, contenuto):
    testo = _testo_visibile(_testa(server, "/en/")[0])
    mancanti = [t[:60] for t in _testi_inglesi(contenuto) if t not in testo]
    assert mancanti == []
    assert contenuto["valori"][0]["testo"] not in testo  # the Italian is not there


def test_the_sitemap_lists_both_pages_with_their_alternates(server: Server):
    sitemap = httpx.get(server.url + "/sitemap.xml").text
    indirizzi = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert indirizzi == [server.url + "/", server.url + "/en/"]
    for blocco in re.findall(r"<url>.*?</url>", sitemap, re.S):
        alternative = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', blocco))
        assert alternative == {
            "it": server.url + "/",
            "en": server.url + "/en/",
            "x-default": server.url + "/",
        }


def _salva_mission_inglese(db: Session, testo: str) -> None:
    versione = leggi_elemento(session=db, pagina=BOZZA, voce=MISSION).versione
    salva(
        session=db,
        pagina=BOZZA,
        voce=MISSION,
        campi={"testo_en": testo},
        versione=versione,
        autore="anna",
    )


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_after_a_publish_the_english_html_is_rebuilt_in_english(
    server: Server, db: Session, contenuto, tmp_path
):
    """A publish of an English text rebuilds `/en/`: the served HTML carries it, still with
    `lang="en"` and its English head; `/` keeps its Italian."""
    testo = "The mission published in English reaches the served HTML too."
    bozze.apri(session=db, spazio=SITO)
    _salva_mission_inglese(db, testo)
    try:
        uscita = serena_publish(server, tmp_path)
        assert uscita.returncode == 0, uscita.stderr
        fine = time.monotonic() + ATTESA_BUILD_S
        while testo not in (html := httpx.get(f"{server.url}/en/").text):
            assert time.monotonic() < fine, "the served /en/ never carried the publish"
            time.sleep(0.2)
        testa = LetturaTesta(html)
        assert testa.lang == "en"
        assert testa.meta["og:locale"] == ["en_GB"]
        assert testa.alternative()["x-default"] == server.url + "/"
        italiana = httpx.get(f"{server.url}/").text
        assert LetturaTesta(italiana).lang == "it"
        assert testo not in _testo_visibile(italiana)
        assert paragrafi(contenuto["sezioni"]["mission"])[0] in _testo_visibile(italiana)
        attendi_build(server, db)
    finally:
        Archivio(server.build).dimentica()


def _valori(page: Page, contenuto: dict):
    """The English values' heading buttons, in order."""
    sezione = page.get_by_role("region", name=contenuto["titoli_en"]["valori"], exact=True)
    titoli = sezione.get_by_role("heading", level=3)
    return [
        titoli.get_by_role("button", name=v["titolo_en"], exact=True) for v in contenuto["valori"]
    ]


def _idratata(page: Page, percorso: str) -> None:
    page.goto(percorso)
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_the_hydrated_english_page_stays_english_and_accessible(pagina: Page, contenuto):
    """At 390 and 1280: `lang="en"` after hydration, no axe violation collapsed and with
    every value open, each value opens and closes; `/` then says "it" again."""
    _idratata(pagina, "/en/")
    expect(pagina.locator("html")).to_have_attribute("lang", "en")
    assert violazioni(pagina) == []
    pulsanti = _valori(pagina, contenuto)
    for pulsante, valore in zip(pulsanti, contenuto["valori"], strict=True):
        expect(pulsante).to_have_attribute("aria-expanded", "false")
        pulsante.click()
        expect(pulsante).to_have_attribute("aria-expanded", "true")
        pannello = pagina.locator(f"#{pulsante.get_attribute('aria-controls')}")
        expect(pannello).to_contain_text(valore["testo_en"])
    expect(pagina.locator("html")).to_have_attribute("lang", "en")
    assert violazioni(pagina) == []
    pulsanti[0].click()
    expect(pulsanti[0]).to_have_attribute("aria-expanded", "false")
    _idratata(pagina, "/")
    expect(pagina.locator("html")).to_have_attribute("lang", "it")


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["telefono"], indirect=True)
def test_an_english_value_is_linkable(pagina: Page, contenuto):
    _idratata(pagina, "/en/#valori-3")
    pulsanti = _valori(pagina, contenuto)
    expect(pulsanti[2]).to_have_attribute("aria-expanded", "true")
    expect(pagina.locator(f"#{pulsanti[2].get_attribute('aria-controls')}")).to_be_in_viewport()
    expect(pulsanti[0]).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_the_english_page_fits_320_and_reads_without_javascript(
    browser: Browser, server: Server, contenuto
):
    stretta = browser.new_context(viewport={"width": 320, "height": 700}, base_url=server.url)
    page = stretta.new_page()
    _idratata(page, "/en/")
    larghezze = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    stretta.close()
    assert larghezze[0] == larghezze[1]
    senza_js = browser.new_context(java_script_enabled=False, base_url=server.url)
    page = senza_js.new_page()
    page.goto("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for valore in contenuto["valori"]:
        expect(page.get_by_text(valore["testo_en"])).to_be_visible()
    storia_completa = page.locator("#storia-completa")
    for paragrafo in paragrafi(contenuto["sezioni_en"]["storia_testo"]):
        expect(storia_completa.get_by_text(paragrafo)).to_be_visible()
    senza_js.close()
