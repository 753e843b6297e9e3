"""The server log (one record, one line), browser-error reports, and the rate counter both
use."""
