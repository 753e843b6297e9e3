"""A plain static HTML page with the same text as the app: the baseline the benchmark compares to.

No framework, no script, one small inline stylesheet; every text is HTML-escaped.
"""

from html import escape
from typing import Any

STYLE = """
body{margin:0;font:1.0625rem/1.6 system-ui,sans-serif;color:#1f2933;background:#fff}
header,main,footer{max-width:44rem;margin:0 auto;padding:1rem 1.25rem}
header{border-bottom:1px solid #d9e2ec}
nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
a{color:#0b5394}
h1{font-size:2rem;line-height:1.2;margin:1rem 0 .5rem}
h2{font-size:1.5rem;margin:2.5rem 0 .75rem}
h3{font-size:1.125rem;margin:1rem 0 .25rem}
footer{border-top:1px solid #d9e2ec;margin-top:2rem}
""".strip()

SECTIONS = (
    ("storia", "Storia"),
    ("mission", "Mission"),
    ("vision", "Vision"),
    ("valori", "Valori"),
)


def paragraphs(text: str) -> str:
    """Turn a text whose paragraphs are separated by blank lines into `<p>` elements.

    Args:
        text: The raw text; may be empty.

    Returns:
        One escaped `<p>` per non-empty paragraph, joined by newlines.
    """
    parts = (part.strip() for part in text.split("\n\n"))
    return "\n".join(f"<p>{escape(part)}</p>" for part in parts if part)


def milestone(tappa: dict[str, Any]) -> str:
    """One timeline milestone as a list item.

    Args:
        tappa: A milestone with `titolo`, `testo` and an optional `anno`.

    Returns:
        The `<li>` element.
    """
    anno = tappa.get("anno")
    year = f'<time datetime="{anno}">{anno}</time>\n' if anno else ""
    return f"<li>{year}<h3>{escape(tappa['titolo'])}</h3>\n<p>{escape(tappa['testo'])}</p></li>"


def value(valore: dict[str, Any]) -> str:
    """One value as a list item.

    Args:
        valore: A value with `titolo` and `testo`.

    Returns:
        The `<li>` element.
    """
    return f"<li><h3>{escape(valore['titolo'])}</h3>\n<p>{escape(valore['testo'])}</p></li>"


def section(key: str, title: str, body: str) -> str:
    """A page section with its heading.

    Args:
        key: The section id, also the anchor the navigation links to.
        title: The heading text (not yet escaped).
        body: The section's inner HTML.

    Returns:
        The `<section>` element.
    """
    return (
        f'<section id="{key}" aria-labelledby="{key}-titolo">\n'
        f'<h2 id="{key}-titolo">{escape(title)}</h2>\n{body}\n</section>'
    )


def main_content(c: dict[str, Any]) -> str:
    """The four sections of the page.

    Args:
        c: The parsed content file.

    Returns:
        The HTML of the sections, in page order.
    """
    titles, texts = c["titoli"], c["sezioni"]
    timeline = "\n".join(milestone(t) for t in c["tappe"])
    values = "\n".join(value(v) for v in c["valori"])
    storia = f"{paragraphs(texts['storia_intro'])}\n<ol>\n{timeline}\n</ol>\n"
    storia += paragraphs(texts["storia_testo"])
    return "\n".join(
        [
            section("storia", titles["storia"], storia),
            section("mission", titles["mission"], paragraphs(texts["mission"])),
            section("vision", titles["vision"], paragraphs(texts["vision"])),
            section(
                "valori",
                titles["valori"],
                f"{paragraphs(texts['valori_intro'])}\n<ul>\n{values}\n</ul>",
            ),
        ]
    )


def render(c: dict[str, Any]) -> str:
    """The whole plain page.

    Args:
        c: The parsed content file (see `serena_app.contenuto.seme.carica_seed`).

    Returns:
        A complete HTML document.
    """
    nome = escape(c["nome"])
    nav = "".join(f'<li><a href="#{key}">{label}</a></li>' for key, label in SECTIONS)
    return f"""<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chi siamo – {nome}</title>
<meta name="description" content="{escape(c["descrizione"])}">
<link rel="icon" href="data:,">
<style>{STYLE}</style>
</head>
<body>
<header><nav aria-label="Sezioni della pagina"><ul>{nav}</ul></nav></header>
<main>
<p>Chi siamo</p>
<h1>{nome}</h1>
<p>{escape(c["sottotitolo"])}</p>
{main_content(c)}
</main>
<footer><p>{nome}</p><p>{escape(c["citta"])}</p></footer>
</body>
</html>
"""
