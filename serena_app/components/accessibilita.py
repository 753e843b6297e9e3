""" "Controlla l'accessibilità": axe-core run in the staff member's own browser on the working
copy, the same engine (and version) the tests use, with its results in Italian and a "Vai
all'elemento" link to each element it names.

Only staff download axe-core: the page's script imports it (and its Italian locale) with
`import()` when the button is pressed, so the bundler puts it in chunks of their own that a
visitor's page never requests. Nothing is sent to the server and nothing is stored: the
results are drawn by the script into a container that React leaves empty.

What is checked is the page as visitors see it. axe runs on the whole document (the header,
the main content, the footer) less the staff-only interface, which visitors never get:

* `#barra-staff`: the staff bar, with this very panel, the drafts' tools and their dialogs;
* `.controlli`, `.conferma`: an item's "Modifica / Sposta / Elimina" and its question;
* `.pulsante-piccolo`, `.presenza-voce`: a section's "Modifica …" and who else has it open;
* `form.editor`: the editors;
* `.bozza`: the draft and translation markers;
* `.esito-voce`, `[id^="aggiungi-"]`, `.nota-struttura`: what a change did to an item, "Aggiungi
  …" and, on the English page, where adding is done;
* `.domanda-presenza`, `.annuncio-presenza`, `.cronologia`: the question before opening an item
  someone else edits, its announcements, an item's history panel.

A known limit: axe skips what is hidden, so the text of a value whose panel is closed is
checked only while that value is open (the staff member opens it, or "Espandi tutti").

Under the Content-Security-Policy (no `eval`, no inline script) this runs as a React effect
of the page's own bundle, as `salvaguardie.py` does.
"""

import reflex as rx

from serena_app.components.salvaguardie import effetto
from serena_app.state.redazione import APRI_STRUMENTI

AXE_VERSIONE = "4.12.1"  # that of the tests' axe (axe_playwright_python's axe.min.js)
PULSANTE = "controlla-accessibilita"
ESITO = "controllo-accessibilita-esito"
ANNUNCIO = "controllo-accessibilita-annuncio"
ESCLUSI = [
    "#barra-staff",
    ".controlli",
    ".conferma",
    ".pulsante-piccolo",
    ".presenza-voce",
    "form.editor",
    ".bozza",
    ".esito-voce",
    '[id^="aggiungi-"]',
    ".nota-struttura",
    ".domanda-presenza",
    ".annuncio-presenza",
    ".cronologia",
]
IMPATTI = {"critical": "critico", "serious": "grave", "moderate": "moderato", "minor": "lieve"}

SCRIPT = r"""
() => {
  const IN_CORSO = 'Controllo in corso…';
  let inCorso = false;
  let evidenziato = null;
  const elementi = new WeakMap();  // a "Vai all'elemento" link → the element it names
  const crea = (tag, testo, classe) => {
    const e = document.createElement(tag);
    if (testo) e.textContent = testo;
    if (classe) e.className = classe;
    return e;
  };
  const annuncia = (testo) => {
    const a = document.getElementById(ANNUNCIO);
    if (a) a.textContent = testo;
  };
  const spegni = () => {
    if (evidenziato) evidenziato.classList.remove('evidenziato-accessibilita');
    evidenziato = null;
  };
  const chiudi = () => {
    const esito = document.getElementById(ESITO);
    if (esito) esito.replaceChildren();
    annuncia('');
    spegni();
    document.getElementById(PULSANTE)?.focus();
  };
  const pannello = (esito, ...figli) => {
    const chiudiPulsante = crea('button', 'Chiudi', 'pulsante pulsante-secondario');
    chiudiPulsante.type = 'button';
    chiudiPulsante.dataset.chiudiAccessibilita = 'true';
    esito.replaceChildren(crea('p', "Controllo dell'accessibilità", 'controllo-titolo'),
      ...figli, chiudiPulsante);
  };
  const elenco = (violazioni) => {
    const ol = crea('ol', '', 'controllo-elenco');
    for (const v of violazioni) {
      const li = crea('li');
      const titolo = crea('p');
      titolo.append(crea('strong', IMPATTI[v.impact] || v.impact || ''), ': ' + v.help);
      const nodi = crea('ul');
      for (const n of v.nodes) {
        const voce = crea('li');
        const vai = crea('a', "Vai all'elemento");
        vai.href = '#';
        vai.dataset.vaiAccessibilita = 'true';
        elementi.set(vai, n.element);
        voce.append(crea('code', n.target.flat().join(' ')), ' ', vai);
        if (n.failureSummary) voce.append(crea('p', n.failureSummary, 'controllo-dettaglio'));
        nodi.append(voce);
      }
      li.append(titolo, nodi);
      ol.append(li);
    }
    return ol;
  };
  // A locale's doT templates ("{{~it:value}}…") would be compiled by axe with `new Function`,
  // which the CSP refuses: the failure summaries' (a heading, then each line indented) become
  // the function they stand for; any other template is dropped, and axe keeps its English.
  const senzaModelli = (voce) => {
    if (Array.isArray(voce) || voce === null || typeof voce !== 'object') return voce;
    const copia = {};
    for (const [chiave, valore] of Object.entries(voce)) {
      if (typeof valore !== 'string' || !valore.includes('{{')) {
        copia[chiave] = senzaModelli(valore);
        continue;
      }
      const modello = /^([^{]*)\{\{~it:value\}\}/.exec(valore);
      if (modello) {
        copia[chiave] = (it) =>
          modello[1] + it.map((v) => '\n  ' + v.split('\n').join('\n  ')).join('');
      }
    }
    return copia;
  };
  const controlla = async () => {
    const esito = document.getElementById(ESITO);
    if (!esito || inCorso) return;
    inCorso = true;
    spegni();
    annuncia('');
    pannello(esito, crea('p', IN_CORSO));
    try {
      const [modulo, lingua] = await Promise.all([
        import('axe-core'), import('axe-core/locales/it.json'),
      ]);
      const axe = modulo.default ?? modulo;
      axe.configure({locale: senzaModelli(lingua.default ?? lingua)});
      const r = await axe.run({exclude: ESCLUSI}, {elementRef: true, resultTypes: ['violations']});
      const n = r.violations.length;
      const frase = n === 0
        ? 'Nessun problema trovato dalle regole automatiche (axe-core ' + axe.version + ').'
        : n === 1 ? '1 problema trovato:' : n + ' problemi trovati:';
      esito.dataset.versioneAxe = axe.version;
      pannello(esito, crea('p', frase, 'controllo-frase'), ...(n ? [elenco(r.violations)] : []));
      annuncia(n === 0 ? frase : "Controllo dell'accessibilità: " + frase.replace(/:$/, '.'));
    } catch (errore) {
      const frase = 'Il controllo non è riuscito: ' + errore.message;
      pannello(esito, crea('p', frase, 'controllo-frase'));
      annuncia("Il controllo dell'accessibilità non è riuscito.");
    } finally {
      inCorso = false;
    }
  };
  // Opens what hides `el`: a closed value (its button, so React's state says it too), a
  // <details>. Resolves once it shows, or after a few frames.
  const mostra = (el) => new Promise((fatto) => {
    for (const chiuso of document.querySelectorAll('.richiudibile[data-aperto="false"]')) {
      if (!chiuso.contains(el) || !chiuso.id) continue;
      document.querySelector(`[aria-controls~="${chiuso.id}"]`)?.click();
    }
    for (let d = el.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
    let fotogrammi = 0;
    const attendi = () => {
      if (el.getClientRects().length > 0 || ++fotogrammi > 30) fatto();
      else requestAnimationFrame(attendi);
    };
    attendi();
  });
  // Where the header and the open tools cover more than half the window (a phone), they fold
  // ("Strumenti" opens them again, with these results): the element shows below them.
  const scopri = () => new Promise((fatto) => {
    const cima = document.querySelector('.cima');
    const strumenti = document.getElementById(APRI_STRUMENTI);
    const alta = () => cima && cima.offsetHeight > window.innerHeight / 2;
    if (!alta() || !strumenti || strumenti.getAttribute('aria-expanded') !== 'true') return fatto();
    strumenti.click();
    let fotogrammi = 0;
    const attendi = () => {
      if (!alta() || ++fotogrammi > 30) requestAnimationFrame(() => fatto());
      else requestAnimationFrame(attendi);
    };
    attendi();
  });
  const vai = async (el) => {
    if (!el || !el.isConnected) return;
    await mostra(el);
    await scopri();
    spegni();
    evidenziato = el;
    el.classList.add('evidenziato-accessibilita');
    if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) {
      el.setAttribute('tabindex', '-1');
      el.addEventListener('blur', () => el.removeAttribute('tabindex'), {once: true});
    }
    el.scrollIntoView({block: 'center'});
    el.focus({preventScroll: true});
  };
  const clic = (e) => {
    const t = e.target.closest ? e.target : null;
    if (!t) return;
    if (t.closest('#' + PULSANTE)) { controlla(); return; }
    if (t.closest('[data-chiudi-accessibilita]')) { chiudi(); return; }
    const link = t.closest('a[data-vai-accessibilita]');
    if (link) { e.preventDefault(); vai(elementi.get(link)); }
  };
  document.addEventListener('click', clic);
  return () => document.removeEventListener('click', clic);
}
"""
for _nome, _valore in {
    "IMPATTI": IMPATTI,
    "ESCLUSI": ESCLUSI,
    "PULSANTE": PULSANTE,
    "ESITO": ESITO,
    "ANNUNCIO": ANNUNCIO,
    "APRI_STRUMENTI": APRI_STRUMENTI,
}.items():
    SCRIPT = SCRIPT.replace(_nome, repr(_valore) if isinstance(_valore, str) else str(_valore))


class ControlloAccessibilita(rx.Fragment):
    """The script's effect; axe-core is its dependency (installed, then imported lazily)."""

    lib_dependencies: list[str] = [f"axe-core@{AXE_VERSIONE}"]

    def add_hooks(self) -> list[str | rx.Var]:
        """Set up once: one click listener on the document, removed with the component."""
        return [effetto(SCRIPT, [])]


def controllo_accessibilita() -> rx.Component:
    """The button, the polite status that says the result once, and the panel (empty until
    the button is pressed: the script fills it, "Chiudi" empties it)."""
    return rx.fragment(
        rx.el.button(
            "Controlla l'accessibilità",
            type="button",
            id=PULSANTE,
            class_name="pulsante pulsante-secondario",
        ),
        rx.el.p(id=ANNUNCIO, role="status", class_name="solo-lettori"),
        rx.el.div(id=ESITO, class_name="controllo-accessibilita"),
        ControlloAccessibilita.create(),
    )
