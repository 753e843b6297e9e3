"""One module per section of the page, each drawing its part top to bottom."""
