"""The sitemap: every public page, and for the page in several languages each of its addresses
(`xhtml:link rel="alternate" hreflang`), as search engines read them
(https://developers.google.com/search/docs/specialty/international/localized-versions)."""

from collections.abc import Sequence
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from reflex.plugins.sitemap import Constants, SitemapPlugin, generate_links_for_sitemap

from serena_app import lingue
from serena_app.lingue import ITALIANO, LINGUE
from serena_app.web.sito import url_sito

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def mappa(pagine: Sequence[Any], trailing_slash: Any) -> tuple[str, str]:
    """The sitemap of the app's pages `pagine`, as Reflex's plugin lists them (a page's
    `context={"sitemap": ...}`), with the alternates of the page in every language.

    Returns:
        The file's path under `.web` and its XML.
    """
    indirizzi = {codice: url_sito() + lingue.percorso(codice) for codice in LINGUE}
    alternative = [*indirizzi.items(), ("x-default", indirizzi[ITALIANO])]
    radice = Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    for link in generate_links_for_sitemap(pagine, trailing_slash):
        url = SubElement(radice, "url")
        SubElement(url, "loc").text = link["loc"]
        if link["loc"] in indirizzi.values():
            for codice, indirizzo in alternative:
                attributi = {"rel": "alternate", "hreflang": codice, "href": indirizzo}
                SubElement(url, "xhtml:link", attributi)
    indent(radice, "  ")
    return str(Constants.FILE_PATH), tostring(radice, "unicode", xml_declaration=True)


class SitemapBilingue(SitemapPlugin):
    """Reflex's sitemap plugin, writing `mappa`."""

    def pre_compile(self, **context: Any) -> None:
        """Write the sitemap when the app compiles."""
        context["add_save_task"](mappa, context.get("unevaluated_pages", []), self.trailing_slash)
