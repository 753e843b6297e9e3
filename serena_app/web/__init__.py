"""Web serving: HTTP headers, the Content Security Policy, head tags, SEO, the build plugin."""
