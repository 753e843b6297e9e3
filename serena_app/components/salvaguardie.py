"""What the browser does on its own so that no typing is lost, and the undo shortcut. Plain
scripts on the page (they need no server round trip); the server never trusts them.

* Text typed in an open editor is kept in local storage, per person, item and field, until
  that editor closes on purpose: saved or cancelled while edit mode stays on, or edit mode
  left or "Esci" pressed here (asked first). An editor closed by anything else (the session
  ended elsewhere, the server no longer knows the tab) keeps it: when the same person opens
  the same editor again, after a reload, a crash, a reconnect or a new login, the text comes
  back, with a notice.
* Leaving the page, turning edit mode off or logging out with unsaved text asks first.
* Ctrl+Z (Cmd+Z on a Mac) outside a text field presses "Annulla ultima modifica".
* After a change made by the server, keyboard focus goes where `StaffState.comando` says, and
  "Usa la loro versione" puts the other person's text in the editor's fields.

Both run as React effects inside the page's JavaScript bundle: the Content-Security-Policy
allows no inline script it cannot hash and no `eval`, which Reflex's `rx.call_script` needs.
"""

import reflex as rx
from reflex.vars import Var, VarData

from serena_app.state.staff import StaffState

TESTO_RIPRESO = "Ripreso il testo che non avevi ancora salvato: controllalo e premi Salva."
CHIEDI_PRIMA = "Hai del testo non salvato: se esci andrà perso. Uscire lo stesso?"

SCRIPT = """
() => {
  const PREFISSO = 'serena-non-salvato:';
  const EDITOR = 'form.editor[data-voce]';
  const chiave = (voce, nome) => PREFISSO + voce + ':' + nome;
  const campi = (form) => form.querySelectorAll('input[name], textarea[name]');
  const sporchi = () => [...document.querySelectorAll(EDITOR)].some(
    (form) => [...campi(form)].some((c) => c.value !== c.defaultValue));

  document.addEventListener('input', (e) => {
    const form = e.target.closest && e.target.closest(EDITOR);
    if (!form || !e.target.name) return;
    const k = chiave(form.dataset.voce, e.target.name);
    if (e.target.value === e.target.defaultValue) localStorage.removeItem(k);
    else localStorage.setItem(k, e.target.value);
  });

  const riprendi = (form) => {
    let ripreso = false;
    for (const campo of campi(form)) {
      const salvato = localStorage.getItem(chiave(form.dataset.voce, campo.name));
      if (salvato !== null && salvato !== campo.value) { campo.value = salvato; ripreso = true; }
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
  // She left edit mode or logged out here: the editors that close now close on purpose.
  let lasciata = false;
  const inModifica = () =>
    document.querySelector('[data-lascia-modifica][data-modifica-attiva="true"]') !== null;
  const osserva = () => {
    const ora = new Set(document.querySelectorAll(EDITOR));
    for (const form of ora) {
      if (!aperti.has(form)) { aperti.set(form, form.dataset.voce); riprendi(form); }
    }
    for (const [form, voce] of aperti) {
      if (ora.has(form)) continue;
      aperti.delete(form);
      if (lasciata || inModifica()) dimentica(voce);
    }
    if (aperti.size === 0) lasciata = false;
  };
  new MutationObserver(osserva).observe(document.body, {childList: true, subtree: true});

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

  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z') return;
    if (e.target.closest && e.target.closest('input, textarea, select, [contenteditable]')) return;
    const pulsante = document.getElementById('annulla-ultima');
    if (pulsante) { e.preventDefault(); pulsante.click(); }
  });
}
""".replace("TESTO_RIPRESO", repr(TESTO_RIPRESO)).replace("CHIEDI_PRIMA", repr(CHIEDI_PRIMA))


# Runs each time `StaffState.comando` changes, once React has drawn the change.
ESEGUI = """
() => {
  if (!COMANDO) return;
  const {fuoco, campi} = JSON.parse(COMANDO);
  for (const [nome, valore] of Object.entries(campi)) {
    const campo = document.getElementById('modifica-' + nome);
    if (!campo) continue;
    campo.value = valore;
    campo.dispatchEvent(new Event('input', {bubbles: true}));
  }
  document.getElementById(fuoco)?.focus();
}
"""


def _effetto(corpo: str, dipende_da: list[Var]) -> Var:
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
            _effetto(SCRIPT, []),
            _effetto(ESEGUI.replace("COMANDO", str(comando)), [comando]),
        ]


def salvaguardie() -> rx.Component:
    """The script, once per page."""
    return Salvaguardie.create()
