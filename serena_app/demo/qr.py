"""The demo's address as a QR code, made here with `segno` (no web service)."""

import io

import segno


def qr(indirizzo: str) -> segno.QRCode:
    """The QR code of `indirizzo`, with medium error correction (a projected screen blurs)."""
    return segno.make(indirizzo, error="m")


def immagine(indirizzo: str) -> str:
    """The QR code as an SVG data URI, black on white, scaled by the page's CSS."""
    return qr(indirizzo).svg_data_uri(scale=1, border=4)


def per_terminale(indirizzo: str) -> str:
    """The QR code drawn with block characters, two modules per line, for the terminal."""
    testo = io.StringIO()
    qr(indirizzo).terminal(out=testo, compact=True)
    return testo.getvalue()
