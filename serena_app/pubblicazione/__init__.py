"""Publishing: the use case that applies the drafts and what follows it (the served page built
again, the change notified), and the builds with their archive."""
