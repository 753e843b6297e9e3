"""What the server sends before any JavaScript runs: the whole published text."""

import html
import urllib.request

from playwright.sync_api import Browser, expect

from serena_app.contenuto.istantanea import paragrafi


def _html(url: str) -> str:
    with urllib.request.urlopen(url) as response:  # noqa: S310 (local test server)
        return html.unescape(response.read().decode("utf-8"))


def test_served_html_holds_every_published_text(server, contenuto):
    pagina = _html(server.url + "/")
    testi = [p for testo in contenuto["sezioni"].values() for p in paragrafi(testo)]
    testi += [t["titolo"] for t in contenuto["tappe"]] + [t["testo"] for t in contenuto["tappe"]]
    testi += [v["titolo"] for v in contenuto["valori"]] + [v["testo"] for v in contenuto["valori"]]
    mancanti = [t[:60] for t in testi if t not in pagina]
    assert mancanti == []
    assert "Fondo Sociale Europeo" in pagina
    assert '<html lang="it"' in pagina
    assert f'<meta content="{contenuto["descrizione"]}" name="description"/>' in pagina


def test_page_is_readable_without_javascript(browser: Browser, server, contenuto):
    context = browser.new_context(java_script_enabled=False, base_url=server.url)
    page = context.new_page()
    page.goto("/")
    for valore in contenuto["valori"]:
        expect(page.get_by_text(valore["testo"])).to_be_visible()
    storia_completa = page.locator("#storia-completa")
    for paragrafo in paragrafi(contenuto["sezioni"]["storia_testo"]):
        expect(storia_completa.get_by_text(paragrafo)).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Valori")).to_be_visible()
    context.close()


def test_no_request_leaves_the_site(browser: Browser, server, contenuto):
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    richieste: list[str] = []
    page.on("request", lambda r: richieste.append(r.url))
    page.goto("/")
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    context.close()
    esterne = [u for u in richieste if not u.startswith((server.url, "ws://localhost"))]
    assert esterne == []
    assert richieste  # the listener saw the page's own requests


def test_the_text_is_painted_before_any_script_is_requested(browser: Browser, server):
    """The framework's JavaScript (≈ 150 KiB) waits for the first paint of the served text, so
    it never competes with it on a slow connection."""
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto("/")
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    primo_paint, script = page.evaluate(
        """() => [
            performance.getEntriesByName("first-contentful-paint")[0].startTime,
            performance.getEntriesByType("resource")
                .filter(r => r.initiatorType === "script" || r.name.endsWith(".js"))
                .map(r => [r.name, r.startTime]),
        ]"""
    )
    context.close()
    assert script, "the page loaded no script at all"
    prima_del_paint = [(nome, round(inizio)) for nome, inizio in script if inizio < primo_paint]
    assert prima_del_paint == [], f"first contentful paint at {primo_paint:.0f} ms"
