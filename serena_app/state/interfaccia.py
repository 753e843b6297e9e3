"""Browser-only UI state (open menu, expanded texts): no server round trip, no per-visitor cost."""

from reflex.experimental.client_state import ClientStateVar
from reflex.vars import FunctionVar, Var
from reflex_base.event import EventChain

menu_aperto = ClientStateVar.create("menu_aperto", default=False)
storia_aperta = ClientStateVar.create("storia_aperta", default=False)
valori_aperti = ClientStateVar.create("valori_aperti", default=[])
errore_imprevisto = ClientStateVar.create("errore_imprevisto", default=False)
conferma_ripristino = ClientStateVar.create("conferma_ripristino", default=False)  # demo
strumenti_aperti = ClientStateVar.create("strumenti_aperti", default=False)  # on a phone
congedo = ClientStateVar.create("congedo", default="")  # said after "Esci", until a reload


def alterna_valore(numero: Var) -> Var:
    """An event trigger that expands the value `numero` if collapsed, and collapses it if not."""
    aperti = valori_aperti.value
    nuovi = Var(
        f"(({aperti}).includes({numero}) ? ({aperti}).filter((n) => n !== {numero})"
        f" : [...({aperti}), {numero}])",
        _var_data=aperti._get_all_var_data(),
    )
    return valori_aperti.set_value(nuovi)


# Opens the value named by the URL's fragment (`/#valori-3`), on load and on in-page links.
APRI_DA_INDIRIZZO = Var(
    """() => {
  const apri = () => {
    const trovato = /^#valori-(\\d+)$/.exec(window.location.hash);
    if (!trovato) return;
    const numero = Number(trovato[1]);
    const aperti = refs['_client_state_valori_aperti'] ?? [];
    if (!aperti.includes(numero)) refs['_client_state_setValori_aperti']([...aperti, numero]);
    document.getElementById(`valori-${numero}`)?.scrollIntoView();
  };
  apri();
  window.addEventListener('hashchange', apri);
}""",
    _var_data=valori_aperti._var_data,
).to(FunctionVar, EventChain)


# Closes the phone menu on Escape (focus goes back to its button) or on a tap outside it.
CHIUDI_MENU_DA_FUORI = Var(
    """() => {
  if (window.__menuChiudibile) return;
  window.__menuChiudibile = true;
  const chiudi = () => {
    if (!refs['_client_state_menu_aperto']) return false;
    refs['_client_state_setMenu_aperto'](false);
    return true;
  };
  document.addEventListener('keydown', (evento) => {
    if (evento.key !== 'Escape') return;
    const pulsante = document.querySelector('.pulsante-menu');
    const dentro = document.querySelector('.navigazione')?.contains(document.activeElement);
    if (chiudi() && dentro) pulsante?.focus();
  });
  document.addEventListener('pointerdown', (evento) => {
    if (!evento.target.closest?.('.navigazione')) chiudi();
  });
}""",
    _var_data=menu_aperto._var_data,
).to(FunctionVar, EventChain)


BARRA_STAFF = "barra-staff"  # the staff bar's id: focus goes there after a login
