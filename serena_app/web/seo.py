"""What search engines and link previews read: canonical URL, Open Graph, Twitter, JSON-LD."""

import json

import reflex as rx
from reflex.vars import Var

from serena_app.contenuto.seme import CONTENUTO
from serena_app.web.sito import url_sito

IMMAGINE = "/condivisione.png"  # 1200x630, made from the site's design by scripts/
IMMAGINE_ALT = f"{CONTENUTO['nome']}, {CONTENUTO['citta']}: {CONTENUTO['sottotitolo']}"


def meta_condivisione(
    titolo: str, descrizione: str | Var, percorso: str
) -> list[dict[str, str | Var]]:
    """Open Graph and Twitter card tags for a page (for `app.add_page(meta=...)`)."""
    immagine = url_sito() + IMMAGINE
    return [
        {"property": "og:type", "content": "website"},
        {"property": "og:site_name", "content": CONTENUTO["nome"]},
        {"property": "og:locale", "content": "it_IT"},
        {"property": "og:title", "content": titolo},
        {"property": "og:description", "content": descrizione},
        {"property": "og:url", "content": url_sito() + percorso},
        {"property": "og:image:width", "content": "1200"},
        {"property": "og:image:height", "content": "630"},
        {"property": "og:image:alt", "content": IMMAGINE_ALT},
        {"name": "twitter:card", "content": "summary_large_image"},
        {"name": "twitter:title", "content": titolo},
        {"name": "twitter:description", "content": descrizione},
        {"name": "twitter:image", "content": immagine},
        {"name": "twitter:image:alt", "content": IMMAGINE_ALT},
    ]


def url_immagine() -> str:
    """The share image's absolute URL (Reflex writes it as og:image)."""
    return url_sito() + IMMAGINE


def canonico(percorso: str) -> rx.Component:
    """<link rel="canonical">; React places it in <head>."""
    return rx.el.link(rel="canonical", href=url_sito() + percorso)


def json_ld(descrizione: str) -> str:
    """schema.org NGO data about the cooperative, as the text of a JSON-LD script (no "<", so
    no text can close the script)."""
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
