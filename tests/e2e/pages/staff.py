"""What a staff member uses: the login page and the edit controls on the page."""

from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages.chi_siamo import PaginaChiSiamo


def accedi(page: Page, nome_utente: str, password: str) -> None:
    """Log in through /accesso and wait for the staff bar on the page."""
    page.goto("/accesso/")
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    page.get_by_label("Nome utente").fill(nome_utente)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("region", name="Strumenti del personale")).to_be_visible()


class PaginaInModifica(PaginaChiSiamo):
    """The page with a logged-in staff member."""

    def attiva_modifica(self) -> "PaginaInModifica":
        """Turn edit mode on: the staff bar's first line then shows the status."""
        self.page.get_by_role("button", name="Modifica pagina").click()
        expect(self.stato).to_be_visible()
        return self

    @property
    def pulsante_strumenti(self) -> Locator:
        """ "Strumenti": in edit mode, opens the rest of the staff bar's tools."""
        return self.page.get_by_role("button", name="Strumenti", exact=True)

    def strumenti(self, aperti: bool = True) -> "PaginaInModifica":
        """Open (or fold) the staff bar's tools, if they fold (in edit mode)."""
        pulsante = self.pulsante_strumenti
        voluto = "true" if aperti else "false"
        if pulsante.is_visible() and pulsante.get_attribute("aria-expanded") != voluto:
            pulsante.click()
            expect(pulsante).to_have_attribute("aria-expanded", voluto)
        return self

    def strumento(self, nome: str) -> Locator:
        """A button among the staff bar's tools, opened first if they are folded."""
        self.strumenti(True)
        return self.barra.get_by_role("button", name=nome, exact=True)

    @property
    def stato(self) -> Locator:
        """The staff bar's status: how many changes wait."""
        return self.barra.locator(".stato-bozze")

    @property
    def barra(self) -> Locator:
        """The staff bar."""
        return self.page.get_by_role("region", name="Strumenti del personale")

    @property
    def elenco_conferma(self) -> Locator:
        """The items of the publish or discard confirmation: the changes, and the translations
        left to do (not the readability figures under them)."""
        return self.barra.locator(
            ".conferma-bozze > ul:not([aria-labelledby=leggibilita-confronto]) > li"
        )

    @property
    def annuncio(self) -> Locator:
        """The bar's live region that announces what just happened (not the one under the
        page description, which the bar holds too)."""
        return self.barra.get_by_role("status").and_(self.page.locator(".annuncio"))

    def apri_lo_stesso(self, pulsante: str, chi: str) -> None:
        """Open an item that `chi` has open: once its marker says so, its edit button
        (`pulsante`), then "Apri lo stesso" in the question it asks."""
        bottone = self.page.get_by_role("button", name=pulsante, exact=True)
        marcatore = self.page.locator(f"#{bottone.get_attribute('id')} + .presenza-voce")
        expect(marcatore).to_have_text(f"{chi} sta modificando…")
        bottone.click()
        self.page.get_by_role("button", name="Apri lo stesso").click()

    def campo(self, etichetta: str) -> Locator:
        """A field of the open editor."""
        return self.page.get_by_label(etichetta, exact=True)

    def salva(self) -> None:
        """Press "Salva" in the open editor."""
        self.page.get_by_role("button", name="Salva", exact=True).click()

    def elementi(self, chiave: str) -> Locator:
        """The list items of the timeline ("storia") or of the values ("valori")."""
        return self.sezione(chiave).get_by_role("list").first.locator(":scope > li")

    @property
    def esiti(self) -> Locator:
        """The results said next to an item (its own live region), those that say something."""
        return self.page.locator(".esito-voce:not(:empty)")

    def contatore(self, nome: str) -> Locator:
        """The live counter of the open editor's field `nome` ("1.850 / 2.000 caratteri")."""
        return self.page.locator(f"#conta-{nome}")

    def annuncio_contatore(self, nome: str) -> Locator:
        """What a screen reader is told of that count, near and past the limit only."""
        return self.page.locator(f"#conta-annuncio-{nome}")

    def incolla(self, campo: Locator, testo: str) -> None:
        """Paste `testo` over the whole of `campo` through the clipboard, as Ctrl+V does."""
        self.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        campo.focus()
        self.page.evaluate("(t) => navigator.clipboard.writeText(t)", testo)
        campo.press("ControlOrMeta+a")
        campo.press("ControlOrMeta+v")
