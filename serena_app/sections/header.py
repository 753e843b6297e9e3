"""The page header: skip link, the cooperative's name, the language switch and the navigation
to the sections."""

import reflex as rx
from reflex.vars import FunctionVar, Var
from reflex_base.event import EventChain

from serena_app.components.collegamento import collegamento
from serena_app.contenuto.seme import CONTENUTO
from serena_app.lingue import LINGUE, NOMI, _, lingua, percorso
from serena_app.state.interfaccia import CHIUDI_MENU_DA_FUORI, menu_aperto
from serena_app.web.sito import PERCORSO_ACCESSO


def _voci_menu() -> list[tuple[str, str]]:
    """Each section's anchor and its name in the menu, in the page's language."""
    return [
        ("storia", _("Storia")),
        ("mission", _("Mission")),
        ("vision", _("Vision")),
        ("valori", _("Valori")),
    ]


def _voce(ancora: str, etichetta: str) -> rx.Component:
    return rx.el.li(
        collegamento(
            etichetta,
            href=f"{percorso(lingua())}#{ancora}",
            on_click=menu_aperto.set_value(False),
        ),
    )


def _voce_area_riservata() -> rx.Component:
    """The staff's door, in the phone menu (on a desktop it is in the footer only)."""
    return rx.el.li(
        collegamento(_("Area riservata"), href=PERCORSO_ACCESSO),
        class_name="voce-area-riservata",
    )


# The switch keeps the place: the address's fragment (`#valori-3`, `#mission`) goes along to
# the other language's page. Without one (a section scrolled to, a value opened by a click),
# the place is found as the switch is reached: an open value in view, else the last section whose
# top has reached the header (where following its anchor would have put it). Without
# JavaScript the link leads to the other page's top.
PORTA_IL_FRAGMENT = Var(
    """() => {
  const luogo = () => {
    if (window.location.hash) return window.location.hash;
    const cima = document.querySelector('.cima') || document.querySelector('header');
    const primo = document.querySelector('main section[id]');
    const margine = primo && parseFloat(getComputedStyle(primo).scrollMarginTop);
    const sotto = Math.max(cima ? cima.getBoundingClientRect().bottom : 0, margine || 0) + 1;
    const inVista = (e) => {
      const r = e.getBoundingClientRect();
      return r.bottom > sotto && r.top < window.innerHeight;
    };
    const valore = [...document.querySelectorAll('li.valore[id]')].find(
      (v) => v.querySelector('[aria-expanded="true"]') && inVista(v));
    if (valore) return '#' + valore.id;
    let sezione = '';
    for (const s of document.querySelectorAll('main section[id]')) {
      if (s.getBoundingClientRect().top <= sotto) sezione = '#' + s.id;
    }
    return sezione;
  };
  const aggiorna = () => {
    for (const link of document.querySelectorAll('a.cambia-lingua[data-pagina]')) {
      link.setAttribute('href', link.dataset.pagina + luogo());
    }
  };
  aggiorna();
  if (window.__linguaConFragment) return;
  window.__linguaConFragment = true;
  window.addEventListener('hashchange', aggiorna);
  // The place is taken as the switch is reached: by the pointer (pointerdown), or by the
  // keyboard (focusin), before anything the click or Enter sets off can move the page.
  for (const tipo of ['pointerdown', 'focusin']) {
    document.addEventListener(tipo, (evento) => {
      if (evento.target.closest?.('a.cambia-lingua')) aggiorna();
    }, true);
  }
}"""
).to(FunctionVar, EventChain)


def cambia_lingua() -> rx.Component:
    """ "English" on the Italian page, "Italiano" on the English one, each in its own language
    (`lang`, `hreflang`), to the same place of the other page. Never chosen automatically."""
    altra = next(codice for codice in LINGUE if codice != lingua())
    return collegamento(
        NOMI[altra],
        href=percorso(altra),
        lang=altra,
        href_lang=altra,
        data_pagina=percorso(altra),
        class_name="cambia-lingua",
        on_mount=PORTA_IL_FRAGMENT,
    )


def header(*, lingue: bool = True) -> rx.Component:
    """Skip link, name, language switch (unless not `lingue`: the staff's pages are Italian
    only) and navigation; on a phone the navigation opens from a menu button, and closes on
    Escape or a tap outside it."""
    return rx.fragment(
        collegamento(_("Vai al contenuto"), href="#contenuto", class_name="salta"),
        rx.el.header(
            rx.el.div(
                collegamento(CONTENUTO["nome"], href=percorso(lingua()), class_name="marchio"),
                cambia_lingua() if lingue else rx.fragment(),
                rx.el.nav(
                    rx.el.button(
                        rx.el.span(_("Menu")),
                        rx.el.span(class_name="icona-menu", aria_hidden="true"),
                        type="button",
                        class_name="pulsante-menu",
                        aria_expanded=rx.cond(menu_aperto.value, "true", "false"),
                        aria_controls="menu-sezioni",
                        on_click=menu_aperto.set_value(~menu_aperto.value),
                    ),
                    rx.el.ul(
                        *[_voce(ancora, etichetta) for ancora, etichetta in _voci_menu()],
                        _voce_area_riservata(),
                        id="menu-sezioni",
                        class_name="menu",
                        data_aperto=rx.cond(menu_aperto.value, "true", "false"),
                    ),
                    aria_label=_("Sezioni della pagina"),
                    class_name="navigazione",
                    on_mount=CHIUDI_MENU_DA_FUORI,
                ),
                class_name="testata-interna",
            ),
            class_name="testata",
        ),
    )
