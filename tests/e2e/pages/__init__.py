"""Page objects: what a visitor or staff member can find on each page, by role and name."""
