"""`make prod`: the production topology on one machine (`serena prod`).

    browser ──► Caddy :8080 ──┬─ pages and /assets/*: files of the current build, from disk,
                              │  precompressed (brotli, gzip), with the cache and security
                              │  headers of `make run`
                              └─ /_event (websocket), /ping, /robots.txt…: least-connections
                                 over N backend processes (Reflex on granian, one worker each)
                                        │                 │
                                   PostgreSQL          Redis: visitors' states, which worker
                                   (content,           holds which socket, and the "a page
                                   sessions,           changed" channel every worker follows
                                   history)            (`state/diffusione.py`)

Modules: `servizi` (a PostgreSQL and a Redis of its own, each with a password, under `var/`
when `DATABASE_URL` and `REDIS_URL` name none), `caddy` (the front server's configuration,
which sends the app processes a secret before they believe `X-Forwarded-For`), `impostazioni`
(the settings file that `serena` reads from the project folder), `comando` (starts, watches and
stops it all).
"""
