"""What a page shows when its connection to the server is down, and a counter of those
moments that the fault tests put into their pages before they load."""

INTERROTTA = "Connessione al server interrotta"
# Counts every time the page shows that its connection is down (`window.__interruzioni`).
OSSERVA_INTERRUZIONI = """
window.__interruzioni = 0;
new MutationObserver(() => {
  const avviso = [...document.querySelectorAll('.avviso-connessione')]
    .some((e) => e.textContent.includes('INTERROTTA'));
  if (avviso && !window.__avviso) window.__interruzioni += 1;
  window.__avviso = avviso;
}).observe(document, {childList: true, subtree: true});
""".replace("INTERROTTA", INTERROTTA)
