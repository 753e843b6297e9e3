"""What search engines and link previews read: canonical URL, the page in its other languages,
Open Graph, Twitter, JSON-LD; each in the language of the page being built (`lingue.lingua`)."""

import json

import reflex as rx
from reflex.vars import Var

from serena_app import lingue
from serena_app.contenuto.seme import CONTENUTO, testi_delle_sezioni
from serena_app.lingue import ITALIANO, LINGUE, lingua
from serena_app.web.sito import url_sito

IMMAGINE = "/condivisione.png"  # 1200x630, made from the site's design by scripts/
LOCALI_OG = {ITALIANO: "it_IT", "en": "en_GB"}
"""Open Graph's locale of each language (`og:locale`)."""


def immagine_alt() -> str:
    """The share image described in the page's language: name, city and the content file's
    subtitle."""
    sottotitolo = testi_delle_sezioni(CONTENUTO, "" if lingua() == ITALIANO else f"_{lingua()}")
    return f"{CONTENUTO['nome']}, {CONTENUTO['citta']}: {sottotitolo['sottotitolo']}"


def meta_condivisione(
    titolo: str, descrizione: str | Var, percorso: str, *, tradotta: bool = False
) -> list[dict[str, str | Var]]:
    """Open Graph and Twitter card tags for a page (for `app.add_page(meta=...)`), in the
    language being built; a page `tradotta` (one in every language) names the others'
    locales too."""
    immagine = url_sito() + IMMAGINE
    alternative = [LOCALI_OG[codice] for codice in LINGUE if codice != lingua()]
    return [
        {"property": "og:type", "content": "website"},
        {"property": "og:site_name", "content": CONTENUTO["nome"]},
        {"property": "og:locale", "content": LOCALI_OG[lingua()]},
        *(
            {"property": "og:locale:alternate", "content": locale}
            for locale in (alternative if tradotta else [])
        ),
        {"property": "og:title", "content": titolo},
        {"property": "og:description", "content": descrizione},
        {"property": "og:url", "content": url_sito() + percorso},
        {"property": "og:image:width", "content": "1200"},
        {"property": "og:image:height", "content": "630"},
        {"property": "og:image:alt", "content": immagine_alt()},
        {"name": "twitter:card", "content": "summary_large_image"},
        {"name": "twitter:title", "content": titolo},
        {"name": "twitter:description", "content": descrizione},
        {"name": "twitter:image", "content": immagine},
        {"name": "twitter:image:alt", "content": immagine_alt()},
    ]


def url_immagine() -> str:
    """The share image's absolute URL (Reflex writes it as og:image)."""
    return url_sito() + IMMAGINE


def canonico(percorso: str) -> rx.Component:
    """<link rel="canonical">; React places it in <head>."""
    return rx.el.link(rel="canonical", href=url_sito() + percorso)


def alternative() -> list[rx.Component]:
    """The page in each language, `<link rel="alternate" hreflang>` (the page's own included,
    as search engines ask), and `x-default`, the site's own language, for any other reader."""
    indirizzi = {codice: url_sito() + lingue.percorso(codice) for codice in LINGUE}
    return [
        rx.el.link(rel="alternate", href_lang=codice, href=indirizzo)
        for codice, indirizzo in [*indirizzi.items(), ("x-default", indirizzi[ITALIANO])]
    ]


def json_ld(descrizione: str) -> str:
    """schema.org NGO data about the cooperative, as the text of a JSON-LD script (no "<", so
    no text can close the script), described by the page in the language being built (its
    `mainEntityOfPage`, with `inLanguage`)."""
    dati = {
        "@context": "https://schema.org",
        "@type": "NGO",
        "name": CONTENUTO["nome"],
        "description": descrizione,
        "foundingDate": "1986",
        "url": url_sito() + "/",
        "logo": url_sito() + "/favicon.svg",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": CONTENUTO["citta"],
            "addressCountry": "IT",
        },
        "mainEntityOfPage": {
            "@type": "WebPage",
            "url": url_sito() + lingue.percorso(lingua()),
            "inLanguage": lingua(),
        },
    }
    return json.dumps(dati, ensure_ascii=False).replace("<", "\\u003c")


def json_ld_di(descrizione: Var) -> Var:
    """`json_ld` of the description var, computed in the browser: the same text, and live
    updates carry the description only."""
    segnaposto = "\0"
    prima, dopo = json_ld(segnaposto).split(json.dumps(segnaposto))
    espressione = (
        f"({json.dumps(prima)} + JSON.stringify({descrizione})"
        f'.replaceAll("<", "\\\\u003c") + {json.dumps(dopo)})'
    )
    return Var(espressione, _var_type=str, _var_data=descrizione._get_all_var_data())
