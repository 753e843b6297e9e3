"""The site's pages, each composing sections."""
