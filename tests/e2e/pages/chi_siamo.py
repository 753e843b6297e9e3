"""The "who we are" page as a visitor finds it: located by role and accessible name."""

from playwright.sync_api import Locator, Page, expect


class PaginaChiSiamo:
    """The page at `/`."""

    def __init__(self, page: Page, contenuto: dict):
        self.page = page
        self.contenuto = contenuto

    def apri(self, percorso: str = "/") -> "PaginaChiSiamo":
        """Load the page and wait until it is hydrated (interactive)."""
        self.page.goto(percorso)
        expect(self.page.locator("main")).to_have_attribute("data-idratata", "true")
        return self

    def sezione(self, chiave: str) -> Locator:
        """The section (region) named by its h2."""
        return self.page.get_by_role("region", name=self.contenuto["titoli"][chiave], exact=True)

    @property
    def timeline(self) -> Locator:
        """The list of milestones."""
        return self.sezione("storia").get_by_role("list")

    @property
    def scopri_di_piu(self) -> Locator:
        """The button that expands the full history."""
        return self.page.get_by_role("button", name="Scopri di più")

    def valore(self, titolo: str) -> Locator:
        """A value's heading button."""
        return self.sezione("valori").get_by_role("button", name=titolo, exact=True)

    def pannello(self, pulsante: Locator) -> Locator:
        """The panel a value's button controls."""
        return self.page.locator(f"#{pulsante.get_attribute('aria-controls')}")

    @property
    def pulsante_menu(self) -> Locator:
        """The phone menu button."""
        return self.page.get_by_role("button", name="Menu")

    @property
    def navigazione(self) -> Locator:
        """The navigation to the sections."""
        return self.page.get_by_role("navigation", name="Sezioni della pagina")
