// The pages of a publish, rendered again with the server's own React Router build: only the
// initial state changed, so neither Vite build runs again (`build.py`).
//
// node prerender.mjs SERVER_BUILD STATE_JSON OUTPUT_FOLDER
//
// The state (`{"stato": …, "hashes": […]}`) is what the build's context module reads on the
// server (`stato_iniziale.py`); each page is requested as React Router's own prerender
// does, and written to OUTPUT_FOLDER/<path>/index.html, the SPA fallback to
// OUTPUT_FOLDER/__spa-fallback.html. Run from a folder whose node_modules is the app's.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "react-router";

const [server, stato, uscita] = process.argv.slice(2);
globalThis.__statoSerena = JSON.parse(await readFile(stato, "utf8"));
const build = await import(pathToFileURL(server).href);
const gestore = createRequestHandler(build, "production");

async function scrivi(file, richiesta) {
  const risposta = await gestore(richiesta);
  const html = await risposta.text();
  if (risposta.status !== 200) {
    throw new Error(`${richiesta.url}: ${risposta.status}\n${html.slice(0, 2000)}`);
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, html);
}

for (const percorso of build.prerender) {
  const indirizzo = `${build.basename}${percorso}/`.replace(/\/\/+/g, "/");
  await scrivi(join(uscita, percorso, "index.html"), new Request(`http://localhost${indirizzo}`));
}
await scrivi(
  join(uscita, "__spa-fallback.html"),
  new Request(`http://localhost${build.basename}`, { headers: { "X-React-Router-SPA-Mode": "yes" } }),
);
