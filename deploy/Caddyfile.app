# An app host's Caddy, as `serena prod --role app` writes it into var/Caddyfile (made by
# serena_app/produzione/caddy.py; tests/unit/test_https.py keeps this copy current). It serves
# this host's own builds and sends the rest to its app processes; /_health answers 200 only with
# a build and processes that reach the database and Redis. Its environment holds
# SERENA_PROXY_SECRET, made at each start, which the app processes ask of every request.
{
	admin off
	grace_period 2s
	auto_https off
}

http://:8080 {
	header {
		defer
		X-Content-Type-Options "nosniff"
		Referrer-Policy "strict-origin-when-cross-origin"
		Content-Security-Policy "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'"
		X-Frame-Options "DENY"
		-Server
	}

	@backend path /_event /_event/* /ping /_upload /_upload/* /_all_routes /auth-codespace /robots.txt
	handle @backend {
		reverse_proxy 127.0.0.1:8001 127.0.0.1:8002 {
			trusted_proxies 10.0.0.10
			lb_policy least_conn
			lb_try_duration 5s
			fail_duration 3s
			header_up x-serena-proxy {env.SERENA_PROXY_SECRET}
		}
	}

	@pronto {
		path /_health
		file {
			root /srv/serena/var/build/attuale
			try_files /index.html
		}
	}
	handle @pronto {
		reverse_proxy 127.0.0.1:8001 127.0.0.1:8002 {
			trusted_proxies 10.0.0.10
			lb_policy least_conn
			lb_try_duration 5s
			fail_duration 3s
			header_up x-serena-proxy {env.SERENA_PROXY_SECRET}
		}
	}
	@senza_build {
		path /_health
		not file {
			root /srv/serena/var/build/attuale
			try_files /index.html
		}
	}
	handle @senza_build {
		header Cache-Control "no-store"
		respond "Nessuna build da servire." 503
	}

	handle /assets/* {
		root * /srv/serena/var/build
		header Cache-Control "public, max-age=31536000, immutable"
		file_server {
			precompressed br gzip
		}
	}

	handle {
		root * /srv/serena/var/build/attuale
		@pagine path / */ *.html /sitemap.xml
		@altri {
			not path / */ *.html /sitemap.xml
		}
		header @pagine Cache-Control "no-cache"
		header @altri Cache-Control "public, max-age=86400"
		# /accesso → /accesso/, as `make run` answers: a redirect no cache keeps.
		@cartella {
			not path */
			file {path}/index.html
		}
		route @cartella {
			header Cache-Control "no-store"
			redir {path}/ 308
		}
		file_server {
			precompressed br gzip
			hide __spa-fallback.html
		}
	}

	handle_errors {
		header {
			defer
			X-Content-Type-Options "nosniff"
			Referrer-Policy "strict-origin-when-cross-origin"
			Content-Security-Policy "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'"
			X-Frame-Options "DENY"
			-Server
		}
		root * /srv/serena/var/build/attuale
		rewrite * /404.html
		header Cache-Control "no-store"
		file_server
	}
}
