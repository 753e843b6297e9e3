"""Staff authentication: password hashing, sessions, login limits and the one permission check."""
