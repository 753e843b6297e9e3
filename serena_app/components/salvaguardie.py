"""What the browser does on its own so that no typing is lost or cut, the counts of the
editors' fields, and the undo shortcut. Plain scripts on the page (they need no server round
trip); the server never trusts them.

* Text typed in an open editor is kept in local storage, per person, item and field, until
  that editor closes on purpose: saved or cancelled while edit mode stays on, or edit mode
  left or "Esci" pressed here (asked first). An editor closed by anything else (the session
  ended elsewhere, the server no longer knows the tab) keeps it: when the same person opens
  the same editor again, after a reload, a crash, a reconnect or a new login, the text comes
  back, with a notice.
* Which editor is open is kept in this tab's session storage (`EDITOR_APERTO`), until it
  closes on purpose: if the server forgets the tab (it was restarted) or the session ends,
  the server opens that editor again once it recognises the same person
  (`RedazioneState.riprendi`), and the text comes back as above.
* "Salva" while the connection to the server is down is refused here, in words: Reflex would
  send it later, to a server that may no longer know the editor.
* Leaving the page, turning edit mode off or logging out with unsaved text asks first; so
  do an editor's "Annulla" and Escape, wherever the focus is in the editor (with nothing
  typed they close it at once).
* Every field with a limit of length (`data-massimo`: the editors', a request's message or
  note) counts its characters as she types ("1.850 / 2.000
  caratteri", the rule's way of counting), past the limit in an error state; a screen reader
  is told only when the count comes near the limit or passes it. Nothing is ever cut: the
  server refuses the text with the rule's message and she shortens it herself.
* A link of the list of a refused form's errors puts focus in its field.
* Ctrl+Z (Cmd+Z on a Mac) outside a text field presses "Annulla ultima modifica".
* What the browser scrolls into view stops below the sticky header and staff bar, however tall
  they are now.
* After a change made by the server, keyboard focus goes where `StaffState.comando` says, and
  "Usa la loro versione" puts the other person's text in the editor's fields.

Both run as React effects inside the page's JavaScript bundle: the Content-Security-Policy
allows no inline script it cannot hash and no `eval`, which Reflex's `rx.call_script` needs.
"""

import reflex as rx
from reflex.vars import Var, VarData

from serena_app.components.connessione import CONNESSIONE_INTERROTTA
from serena_app.state.redazione import EDITOR_APERTO
from serena_app.state.staff import StaffState

TESTO_RIPRESO = "Ripreso il testo che non avevi ancora salvato: controllalo e premi Salva."
CHIEDI_PRIMA = "Hai del testo non salvato: se esci andrà perso. Uscire lo stesso?"
CHIEDI_ANNULLA = "Hai del testo non salvato: se annulli andrà perso. Annullare lo stesso?"
NON_SALVATO = (
    "Non salvato: manca la connessione al server. Il testo resta qui: premi Salva quando torna."
)

SCRIPT = r"""
() => {
  const PREFISSO = 'serena-non-salvato:';
  const EDITOR = 'form.editor[data-voce]';
  const chiave = (voce, nome) => PREFISSO + voce + ':' + nome;
  const campi = (form) => form.querySelectorAll('input[name], textarea[name]');
  const modificato = (form) => [...campi(form)].some((c) => c.value !== c.defaultValue);
  const sporchi = () => [...document.querySelectorAll(EDITOR)].some(modificato);

  // Put a text in a field as if typed: through the prototype's setter, so that React sees
  // a change and runs the field's onChange (the writing figures follow, `leggibilita.py`).
  const scrivi = (campo, valore) => {
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(campo), 'value').set.call(campo, valore);
    campo.dispatchEvent(new Event('input', {bubbles: true}));
  };

  // The count of a field with a limit (`data-massimo`), as the server counts: code points of
  // the trimmed NFC text. Said to a screen reader only when its zone changes (near, past).
  const cifre = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const zone = new WeakMap();
  const conta = (campo, annuncia) => {
    const massimo = Number(campo.dataset.massimo);
    const contatore = document.getElementById('conta-' + campo.name);
    if (!massimo || !contatore) return;
    const n = [...campo.value.normalize('NFC').trim()].length;
    const oltre = n > massimo;
    const resto = massimo - n;
    contatore.textContent = cifre(n) + ' / ' + cifre(massimo) + ' caratteri' + (oltre
      ? ': ' + cifre(n - massimo) + ' di troppo, accorcia il testo prima di salvare.' : '');
    contatore.dataset.oltre = String(oltre);
    const zona = oltre ? 'oltre' : resto <= Math.max(10, Math.floor(massimo / 10)) ? 'vicino' : '';
    const annuncio = document.getElementById('conta-annuncio-' + campo.name);
    if (annuncia && annuncio && zona !== zone.get(campo)) {
      annuncio.textContent = zona === 'oltre'
        ? 'Oltre il limite di ' + cifre(massimo) + ' caratteri: ora sono ' + cifre(n) + '.'
        : zona === 'vicino' ? 'Restano ' + cifre(resto) + ' caratteri su ' + cifre(massimo) + '.'
        : '';
    }
    zone.set(campo, zona);
  };

  document.addEventListener('input', (e) => {
    if (!e.target.name) return;
    conta(e.target, true);  // any field with a limit
    const form = e.target.closest && e.target.closest(EDITOR);
    if (!form) return;
    const k = chiave(form.dataset.voce, e.target.name);
    if (e.target.value === e.target.defaultValue) localStorage.removeItem(k);
    else localStorage.setItem(k, e.target.value);
  });

  const riprendi = (form) => {
    let ripreso = false;
    for (const campo of campi(form)) {
      const salvato = localStorage.getItem(chiave(form.dataset.voce, campo.name));
      if (salvato !== null && salvato !== campo.value) { scrivi(campo, salvato); ripreso = true; }
    }
    if (ripreso && !form.querySelector('.testo-ripreso')) {
      const avviso = document.createElement('p');
      avviso.className = 'testo-ripreso';
      avviso.setAttribute('role', 'status');
      avviso.textContent = TESTO_RIPRESO;
      form.prepend(avviso);
    }
  };
  const dimentica = (voce) => {
    for (const k of Object.keys(localStorage)) {
      if (k.startsWith(chiave(voce, ''))) localStorage.removeItem(k);
    }
  };
  const aperti = new Map();
  const contati = new WeakSet();
  // She left edit mode or logged out here: the editors that close now close on purpose.
  let lasciata = false;
  const inModifica = () =>
    document.querySelector('[data-lascia-modifica][data-modifica-attiva="true"]') !== null;
  const osserva = () => {
    const ora = new Set(document.querySelectorAll(EDITOR));
    for (const form of ora) {
      if (aperti.has(form)) continue;
      aperti.set(form, form.dataset.voce);
      sessionStorage.setItem(EDITOR_APERTO, form.dataset.voce);
      riprendi(form);
    }
    // Each limited field shows its count as soon as it appears (an editor, a dialog).
    for (const campo of document.querySelectorAll('[data-massimo]')) {
      if (contati.has(campo)) continue;
      contati.add(campo);
      conta(campo, false);
    }
    for (const [form, voce] of aperti) {
      if (ora.has(form)) continue;
      aperti.delete(form);
      if (!lasciata && !inModifica()) continue;  // not on purpose: both stay
      dimentica(voce);
      if (sessionStorage.getItem(EDITOR_APERTO) === voce) sessionStorage.removeItem(EDITOR_APERTO);
    }
    if (aperti.size === 0) lasciata = false;
  };
  new MutationObserver(osserva).observe(document.body, {childList: true, subtree: true});

  // What the browser scrolls into view (focus, links) stops below the header and staff bar,
  // whose height changes (an announcement, the tools opened): WCAG 2.4.11 (`serena.css`).
  const cima = document.querySelector('.cima');
  if (cima) {
    new ResizeObserver(() => {
      document.documentElement.style.setProperty('--sotto-la-cima', `${cima.offsetHeight + 16}px`);
    }).observe(cima);
  }

  // Before React's handler: a "Salva" sent while the socket is down would reach the server
  // after it comes back, maybe restarted and no longer knowing the editor.
  document.addEventListener('submit', (e) => {
    const form = e.target.closest && e.target.closest(EDITOR);
    if (!form) return;
    form.querySelector('.non-salvato')?.remove();
    if (!document.getElementById(CONNESSIONE_INTERROTTA)) return;
    e.preventDefault(); e.stopImmediatePropagation();
    const avviso = document.createElement('p');
    avviso.className = 'non-salvato';
    avviso.setAttribute('role', 'alert');
    avviso.textContent = NON_SALVATO;
    form.append(avviso);
  }, true);

  window.addEventListener('beforeunload', (e) => {
    if (sporchi()) { e.preventDefault(); e.returnValue = ''; }
  });
  document.addEventListener('click', (e) => {
    const pulsante = e.target.closest && e.target.closest('[data-lascia-modifica]');
    if (!pulsante || pulsante.dataset.modificaAttiva === 'false') return;
    if (sporchi() && !window.confirm(CHIEDI_PRIMA)) {
      e.preventDefault(); e.stopImmediatePropagation(); return;
    }
    lasciata = true;
  }, true);

  // An editor's "Annulla" asks first if there is typed text; Escape anywhere in it presses it.
  document.addEventListener('click', (e) => {
    const annulla = e.target.closest && e.target.closest(EDITOR + ' [data-annulla]');
    if (!annulla || !modificato(annulla.closest(EDITOR))) return;
    if (!window.confirm(CHIEDI_ANNULLA)) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.isComposing) return;
    const form = e.target.closest && e.target.closest(EDITOR);
    const annulla = form && form.querySelector('[data-annulla]');
    if (annulla) { e.preventDefault(); annulla.click(); }
  });
  // A link of a refused form's list of errors: focus in its field (an id alone only scrolls).
  document.addEventListener('click', (e) => {
    const link = e.target.closest && e.target.closest('a[data-campo]');
    const campo = link && document.getElementById(link.dataset.campo);
    if (campo) { e.preventDefault(); campo.focus(); }
  });

  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z') return;
    if (e.target.closest && e.target.closest('input, textarea, select, [contenteditable]')) return;
    const pulsante = document.getElementById('annulla-ultima');
    if (pulsante) { e.preventDefault(); pulsante.click(); }
  });
}
"""
for _nome, _valore in {
    "TESTO_RIPRESO": TESTO_RIPRESO,
    "CHIEDI_PRIMA": CHIEDI_PRIMA,
    "CHIEDI_ANNULLA": CHIEDI_ANNULLA,
    "NON_SALVATO": NON_SALVATO,
    "EDITOR_APERTO": EDITOR_APERTO,
    "CONNESSIONE_INTERROTTA": CONNESSIONE_INTERROTTA,
}.items():
    SCRIPT = SCRIPT.replace(_nome, repr(_valore))


# Runs each time `StaffState.comando` changes, once React has drawn the change; once per
# command in this tab (a reload receives the last one again with the state).
ESEGUI = """
() => {
  if (!COMANDO) return;
  const {n, fuoco, campi} = JSON.parse(COMANDO);
  if (sessionStorage.getItem('serena-comando') === n) return;
  sessionStorage.setItem('serena-comando', n);
  for (const [nome, valore] of Object.entries(campi)) {
    const campo = document.getElementById('modifica-' + nome);
    if (!campo) continue;
    // As typed (see `scrivi` above): React's onChange runs, the figures follow.
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(campo), 'value').set.call(campo, valore);
    campo.dispatchEvent(new Event('input', {bubbles: true}));
  }
  document.getElementById(fuoco)?.focus();
}
"""


def effetto(corpo: str, dipende_da: list[Var]) -> Var:
    dati = VarData.merge(
        VarData(imports={"react": ["useEffect"]}), *(v._get_all_var_data() for v in dipende_da)
    )
    dipendenze = ", ".join(str(v) for v in dipende_da)
    # A statement of its own: the line before it may not end with a semicolon.
    return Var(_js_expr=f"useEffect({corpo}, [{dipendenze}]);", _var_data=dati)


class Salvaguardie(rx.Fragment):
    """Renders nothing: its effects are the page's own script."""

    def add_hooks(self) -> list[str | Var]:
        """The two effects: set up once; follow each command."""
        comando = StaffState.comando
        return [
            effetto(SCRIPT, []),
            effetto(ESEGUI.replace("COMANDO", str(comando)), [comando]),
        ]


def salvaguardie() -> rx.Component:
    """The script, once per page."""
    return Salvaguardie.create()
