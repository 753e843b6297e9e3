// "Controlla l'accessibilità": what the page's script (`accessibilita.py`) imports when the
// button is pressed, never before. It imports axe-core and its Italian locale (chunks of their
// own), runs axe on the page as visitors see it, draws the results in Italian into the panel,
// and takes "Vai all'elemento" to each element.
// `C` holds the ids, the selectors excluded and the words of impact, from the Python file.

let C = null;
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
  const a = document.getElementById(C.ANNUNCIO);
  if (a) a.textContent = testo;
};
const spegni = () => {
  if (evidenziato) evidenziato.classList.remove('evidenziato-accessibilita');
  evidenziato = null;
};
const chiudi = () => {
  const esito = document.getElementById(C.ESITO);
  if (esito) esito.replaceChildren();
  annuncia('');
  spegni();
  document.getElementById(C.PULSANTE)?.focus();
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
    titolo.append(crea('strong', C.IMPATTI[v.impact] || v.impact || ''), ': ' + v.help);
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
const esegui = async () => {
  const esito = document.getElementById(C.ESITO);
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
    const r = await axe.run({exclude: C.ESCLUSI}, {elementRef: true, resultTypes: ['violations']});
    const n = r.violations.length;
    const frase = n === 0
      ? 'Nessun problema trovato dalle regole automatiche (axe-core ' + axe.version + ').'
      : n === 1 ? '1 problema trovato:' : n + ' problemi trovati:';
    esito.dataset.versioneAxe = axe.version;
    pannello(esito, crea('p', frase, 'controllo-frase'), ...(n ? [elenco(r.violations)] : []));
    // On a phone the tools scroll inside the bar, and the panel may be below its fold.
    esito.scrollIntoView({block: 'nearest'});
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
  const strumenti = document.getElementById(C.APRI_STRUMENTI);
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
  if (t.closest('[data-chiudi-accessibilita]')) { chiudi(); return; }
  const link = t.closest('a[data-vai-accessibilita]');
  if (link) { e.preventDefault(); vai(elementi.get(link)); }
};

// The check; the first call also listens for the panel's links and "Chiudi".
export function controlla(costanti) {
  if (C === null) document.addEventListener('click', clic);
  C = costanti;
  return esegui();
}
