"""The front server's configuration (a Caddyfile), made from the same facts `make run`'s own
server uses (`servizio.py`): cache lifetimes, security headers, the backend's routes.

Caddy serves the current build from disk (`attuale`, a link that `pubblicazione.Archivio`
moves once a publish's build is complete: until then the previous one, at once) and the hashed
assets of every build, using their `.br` and `.gz` copies where they exist (the files a build
changed get theirs just after it is served; meanwhile the file itself). Everything the
backend answers goes to the app processes, to the one with the fewest connections; a process
that does not answer is skipped for 3 s while a request is tried on the others for up to 5 s.
Each request to them carries the secret of `SERENA_PROXY_SECRET` in `X-Serena-Proxy` (read
from Caddy's environment when it runs, so it is in no file), without which they ignore
`X-Forwarded-For` (`auth/indirizzo.py`).
"""

from pathlib import Path

from serena_app.auth.indirizzo import INTESTAZIONE_PROXY, SEGRETO_PROXY
from serena_app.web.servizio import BREVE, HSTS, IMMUTABILE, MAI, RIVALIDA, SICUREZZA

# Reflex's backend routes (reflex_base.constants.Endpoint) and the app's robots.txt.
BACKEND = "/_event /_event/* /ping /_upload /_upload/* /_all_routes /auth-codespace"
PAGINE = "/ */ *.html /sitemap.xml"


DUE = "\t\t"  # two levels in


def _intestazioni(https: bool, rientro: str = "\t") -> str:
    valori = {**SICUREZZA, **({"Strict-Transport-Security": HSTS} if https else {})}
    righe = ["defer", *(f'{nome} "{valore}"' for nome, valore in valori.items()), "-Server"]
    # Deferred: they replace, not repeat, the same headers from the app processes.
    corpo = "".join(f"{rientro}\t{riga}\n" for riga in righe)
    return f"{rientro}header {{\n{corpo}{rientro}}}"


def _proxy(backend: list[str], fidati: list[str]) -> str:
    # Behind an edge, the X-Forwarded-For it wrote is kept (and this request's address added).
    fidarsi = f"\t\t\ttrusted_proxies {' '.join(fidati)}\n" if fidati else ""
    return f"""reverse_proxy {" ".join(backend)} {{
{fidarsi}\t\t\tlb_policy least_conn
\t\t\tlb_try_duration 5s
\t\t\tfail_duration 3s
\t\t\theader_up {INTESTAZIONE_PROXY} {{env.{SEGRETO_PROXY}}}
\t\t}}"""


def caddyfile(indirizzo: str, build: Path, backend: list[str], fidati: list[str] = []) -> str:  # noqa: B006
    """The configuration for the site at `indirizzo` (e.g. `http://:8080` or
    `https://www.example.org`), with the builds in `build` and the app processes at
    `backend` (`host:port` each). `fidati`: the edges in front (their `X-Forwarded-For` is
    passed on). `/_health` answers 200 only with a current build and processes that reach
    the database and Redis: Reflex's own check, asked only once a build is there."""
    https = indirizzo.startswith("https://")
    globali = "\tadmin off\n\tgrace_period 2s\n" + ("" if https else "\tauto_https off\n")
    return f"""{{
{globali}}}

{indirizzo} {{
{_intestazioni(https)}

\t@backend path {BACKEND} /robots.txt
\thandle @backend {{
\t\t{_proxy(backend, fidati)}
\t}}

\t@pronto {{
\t\tpath /_health
\t\tfile {{
\t\t\troot {build}/attuale
\t\t\ttry_files /index.html
\t\t}}
\t}}
\thandle @pronto {{
\t\t{_proxy(backend, fidati)}
\t}}
\t@senza_build {{
\t\tpath /_health
\t\tnot file {{
\t\t\troot {build}/attuale
\t\t\ttry_files /index.html
\t\t}}
\t}}
\thandle @senza_build {{
\t\theader Cache-Control "{MAI}"
\t\trespond "Nessuna build da servire." 503
\t}}

\thandle /assets/* {{
\t\troot * {build}
\t\theader Cache-Control "{IMMUTABILE}"
\t\tfile_server {{
\t\t\tprecompressed br gzip
\t\t}}
\t}}

\thandle {{
\t\troot * {build}/attuale
\t\t@pagine path {PAGINE}
\t\t@altri {{
\t\t\tnot path {PAGINE}
\t\t}}
\t\theader @pagine Cache-Control "{RIVALIDA}"
\t\theader @altri Cache-Control "{BREVE}"
\t\t# /accesso → /accesso/, as `make run` answers: a redirect no cache keeps.
\t\t@cartella {{
\t\t\tnot path */
\t\t\tfile {{path}}/index.html
\t\t}}
\t\troute @cartella {{
\t\t\theader Cache-Control "{MAI}"
\t\t\tredir {{path}}/ 308
\t\t}}
\t\tfile_server {{
\t\t\tprecompressed br gzip
\t\t\thide __spa-fallback.html
\t\t}}
\t}}

\thandle_errors {{
{_intestazioni(https, rientro=DUE)}
\t\troot * {build}/attuale
\t\trewrite * /404.html
\t\theader Cache-Control "{MAI}"
\t\tfile_server
\t}}
}}
"""


SALUTE_S = 1  # how often the edge asks each app host whether it can serve


STICKY = "serena_host"  # the edge's cookie: which app host served this browser


def caddyfile_bordo(sito: str, ospiti: list[str], *, interno: bool = False) -> str:
    """The edge in front of several app hosts (`host:port` of each one's Caddy) for the site
    at `sito` (`https://…`). HTTPS with a certificate Caddy obtains (`interno`: from its own
    local CA, for tests and private networks), HTTP redirected to it, HSTS.

    A browser stays with one app host (the cookie `STICKY`, random at its first request):
    each host builds every publish itself, so a page must get its assets, and its websocket,
    from the host that served it. A host whose `/_health` does not answer 200 gets no new
    request until it does (asked every `SALUTE_S`, and skipped for 3 s after a failed try);
    its browsers go to another host, whose own page they then load. The cookie says nothing
    but a hash of the host, and is sent only over HTTPS, to this site, never to scripts."""
    globali = "\tadmin off\n\tgrace_period 2s\n" + ("\tskip_install_trust\n" if interno else "")
    tls = "\ttls internal\n" if interno else ""
    biscotto = f'Set-Cookie "^({STICKY}=[^;]*).*$" "$1; Path=/; Secure; HttpOnly; SameSite=Lax"'
    intestazioni = _intestazioni(https=True).replace("\t\t-Server", f"\t\t{biscotto}\n\t\t-Server")
    return f"""{{
{globali}}}

{sito} {{
{tls}{intestazioni}

\treverse_proxy {" ".join(ospiti)} {{
\t\tlb_policy cookie {STICKY}
\t\tlb_try_duration 5s
\t\tfail_duration 3s
\t\thealth_uri /_health
\t\thealth_interval {SALUTE_S}s
\t\thealth_timeout {SALUTE_S}s
\t}}
}}
"""
