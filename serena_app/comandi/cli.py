"""The `serena` console command. Run it from the project folder.

serena prepare                         migrate and seed the database (before the server starts)
serena create-staff USERNAME [--password-stdin]
serena reset-password USERNAME [--password-stdin]    also ends its sessions and unused links
serena disable-staff USERNAME                        also ends the account's sessions
serena enable-staff USERNAME
serena list-staff
serena demo [--port 3000]              the live demo on a throwaway database (see demo/)
serena prod [--port 8080] [--role R]   the production topology (see produzione/; make prod)
serena export FILE.json                all content, published and drafts (esportazione.py)
serena import FILE.json                checked first, then loaded as drafts
serena backup DIR                      a consistent copy of the live database (backup.py)
serena restore FILE                    put a checked copy back (stop the site first)
serena restore --schema NOME           PostgreSQL: put back the data a restore kept aside
serena audit [--since DATE] [--user NAME]    who did what and when (audit.py)

Every command works on the database of `DATABASE_URL` (default: `serena.db` in the project;
while `make prod` runs, the production one: `produzione/impostazioni.py`), and prepares it
first; `demo` makes its own and leaves that one alone. Whatever a command prints from stored or
typed text (a user name, a path, a file's content) is escaped (`terminale.sicuro`): a name
cannot forge a line or send the terminal an escape sequence.
"""

import argparse
import getpass
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

from serena_app import db
from serena_app.auth import eventi
from serena_app.auth.password import PasswordNonValida
from serena_app.auth.personale import (
    ErrorePersonale,
    abilita_staff,
    crea_staff,
    disabilita_staff,
    elenco_staff,
    reimposta_password,
    trova_staff,
)
from serena_app.auth.ruoli import RESPONSABILE, RUOLI
from serena_app.comandi import audit, backup, esportazione, ripristino_postgres
from serena_app.comandi.argomenti import Parser
from serena_app.comandi.terminale import sicuro
from serena_app.contenuto.bozze import BozzaCambiata
from serena_app.contenuto.semina import semina
from serena_app.demo import comando as demo_comando
from serena_app.lingue.tempo import FUSO
from serena_app.produzione import comando as produzione
from serena_app.produzione import impostazioni
from serena_app.pubblicazione.archivio import Archivio, cartella
from serena_app.pubblicazione.pubblica import NienteDaPubblicare, pubblica_da_comando


def prepara() -> bool:
    """Apply pending migrations, write the retention of login events and delete the older
    ones (`auth/eventi.py`), then seed the published page if the database has none.

    Returns:
        True if the page was seeded now.

    Raises:
        ConservazioneNonValida: `SERENA_CONSERVAZIONE_ACCESSI_GIORNI` is no number of days.
    """
    giorni = eventi.conservazione_giorni()
    motore = db.engine(db.database_url())
    with db.un_solo_alla_volta(motore):
        db.migra(motore)
        with db.session() as session:
            eventi.imposta_conservazione(session=session, giorni=giorni)
            eventi.pota(session=session)
            return semina(session=session)


def _leggi_password(da_stdin: bool) -> str:
    if da_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Ripeti la password: ") != password:
        msg = "Le due password non coincidono."
        raise ErrorePersonale(msg)
    return password


def _dici(riga: object) -> None:
    """Print a line, any stored or typed text in it escaped."""
    print(sicuro(riga))


def _errore(riga: object) -> None:
    """Print a line on stderr, any stored or typed text in it escaped."""
    print(sicuro(riga), file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="serena", description="Il sito di Cooperativa Serena.")
    comandi = parser.add_subparsers(dest="comando", required=True)
    comandi.add_parser("prepare", help="aggiorna il database e lo riempie se è vuoto")
    crea = comandi.add_parser("create-staff", help="crea un account")
    crea.add_argument("username")
    crea.add_argument(
        "--ruolo",
        choices=RUOLI,
        default=RESPONSABILE,
        help="redattore: scrive e chiede la pubblicazione; responsabile (se non detto): "
        "anche pubblica e gestisce le persone",
    )
    crea.add_argument("--password-stdin", action="store_true", help="legge la password da stdin")
    reimposta = comandi.add_parser(
        "reset-password",
        help="cambia la password di un account e ne chiude le sessioni e i link in attesa",
    )
    reimposta.add_argument("username")
    reimposta.add_argument(
        "--password-stdin", action="store_true", help="legge la password da stdin"
    )
    disabilita = comandi.add_parser("disable-staff", help="disabilita un account e le sue sessioni")
    disabilita.add_argument("username")
    abilita = comandi.add_parser("enable-staff", help="riabilita un account disabilitato")
    abilita.add_argument("username")
    comandi.add_parser("list-staff", help="elenca gli account")
    demo = comandi.add_parser(
        "demo", help="avvia la demo dal vivo su un database temporaneo, raggiungibile in rete"
    )
    demo.add_argument("--port", type=int, default=demo_comando.PORTA, help="la porta (3000)")
    prod = comandi.add_parser("prod", help="avvia il sito come in produzione (make prod)")
    prod.add_argument("--port", type=int, default=produzione.PORTA, help="la porta (8080)")
    prod.add_argument(
        "--role",
        choices=produzione.RUOLI,
        help="la parte di questo host, su più macchine (senza: tutto su questa)",
    )
    comandi.add_parser("publish", help="pubblica tutte le bozze del sito, come «Pubblica»")
    esporta = comandi.add_parser("export", help="scrive tutti i contenuti in un file JSON")
    esporta.add_argument("file", type=Path)
    importa = comandi.add_parser("import", help="carica un file JSON come bozze, dopo i controlli")
    importa.add_argument("file", type=Path)
    copia = comandi.add_parser("backup", help="copia il database mentre il sito è in funzione")
    copia.add_argument("cartella", type=Path)
    rimetti = comandi.add_parser("restore", help="rimette una copia del database (sito fermo)")
    quale = rimetti.add_mutually_exclusive_group(required=True)
    quale.add_argument("file", type=Path, nargs="?")
    quale.add_argument(
        "--schema", help="PostgreSQL: rimette lo schema serena_prima_del_ripristino_… indicato"
    )
    registro = comandi.add_parser("audit", help="chi ha fatto cosa, e quando")
    registro.add_argument("--since", type=_data, help="dal giorno AAAA-MM-GG (ora italiana)")
    registro.add_argument("--user", help="solo questo nome utente")
    return parser


def _data(testo: str) -> datetime:
    """A day as typed (YYYY-MM-DD), from its first moment in Italian time, in UTC."""
    try:
        giorno = datetime.strptime(testo, "%Y-%m-%d")
    except ValueError:
        msg = f"«{testo}» non è una data AAAA-MM-GG, ad esempio 2026-11-30."
        raise argparse.ArgumentTypeError(msg) from None
    return giorno.replace(tzinfo=FUSO).astimezone(UTC)


def _archivio(args: argparse.Namespace) -> int:
    """export, import, backup, restore: the exit code."""
    try:
        if args.comando == "backup":
            _dici(f"Copia del database: {backup.backup(args.cartella)} (controllata).")
        elif args.comando == "restore":
            _ripristina(args)
        elif args.comando == "export":
            with db.session() as session:
                testo = esportazione.in_json(esportazione.esporta(session=session))
            args.file.write_text(testo, encoding="utf-8")
            _dici(f"Contenuti scritti in {args.file}.")
        else:
            contenuto = esportazione.leggi_file(args.file)
            with db.session() as session:
                quante = esportazione.importa(session=session, contenuto=contenuto)
            _dici(f"File caricato come bozza: {quante} modifiche da rivedere e pubblicare.")
    except (esportazione.FileNonValido, backup.CopiaNonValida) as errore:
        _errore(errore)
        return 1
    except OSError as errore:
        _errore(f"Impossibile usare il file: {errore.strerror} ({errore.filename}).")
        return 1
    return 0


def _ripristina(args: argparse.Namespace) -> None:
    """restore FILE, or restore --schema NAME (PostgreSQL): says how to undo it."""
    if args.schema:
        precedente = ripristino_postgres.ripristina_schema(args.schema, db.database_url())
        _dici(f"Rimessi i dati dello schema {args.schema}.")
    else:
        precedente = backup.ripristina(args.file)
        _dici(f"Database ripristinato da {args.file}.")
    if isinstance(precedente, str):
        comando = f"serena restore --schema {shlex.quote(precedente)}"
        _dici(f"I dati di prima sono nello schema {precedente} (per rimetterli: {comando}).")
    elif precedente:
        comando = f"serena restore {shlex.quote(str(precedente))}"
        _dici(f"Il database di prima è in {precedente} (per rimetterlo: {comando}).")
    _dici("Riavvia il sito.")


def _pubblica() -> int:
    """publish: the drafts published, each change printed; the exit code."""
    try:
        modifiche = pubblica_da_comando()
    except NienteDaPubblicare as errore:
        _errore(errore)
        return 1
    except BozzaCambiata:
        _errore(
            "Nel frattempo qualcuno ha cambiato le bozze: non è stato pubblicato nulla. Riprova."
        )
        return 1
    quante = "1 modifica" if len(modifiche) == 1 else f"{len(modifiche)} modifiche"
    _dici(f"Pubblicat{'a' if len(modifiche) == 1 else 'e'} {quante}:")
    for riga in modifiche:
        _dici(f"- {riga}")
    _dici("Le pagine aperte e la pagina servita si aggiornano da sole.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.comando == "demo":
        return demo_comando.avvia(args.port)
    if args.comando == "prod":
        return produzione.avvia(args.port, args.role)
    impostazioni.applica()
    if args.comando == "restore":
        # Not prepared first: the live database may be the broken one to replace, and a
        # restore migrates the copy it puts in place.
        return _archivio(args)
    try:
        seminato = prepara()
    except eventi.ConservazioneNonValida as errore:
        _errore(errore)
        return 1
    if args.comando in ("export", "import", "backup"):
        return _archivio(args)
    if args.comando == "publish":
        return _pubblica()
    if args.comando == "audit":
        with db.session() as session:
            for riga in audit.righe(session=session, dal=args.since, utente=args.user):
                print(riga)
        return 0
    if args.comando == "prepare":
        # The server about to start builds its pages from the database: no older build
        # made after a publish may be served instead.
        Archivio(cartella()).dimentica()
        print("Database pronto" + (", riempito dal file dei contenuti." if seminato else "."))
        return 0
    try:
        with db.session() as session:
            if args.comando == "create-staff":
                password = _leggi_password(args.password_stdin)
                crea_staff(
                    session=session,
                    nome_utente=args.username,
                    password=password,
                    ruolo=args.ruolo,
                )
                _dici(f"Account «{args.username}» creato ({args.ruolo}).")
            elif args.comando == "reset-password":
                trova_staff(session=session, nome_utente=args.username)  # before asking
                password = _leggi_password(args.password_stdin)
                reimposta_password(session=session, nome_utente=args.username, password=password)
                _dici(f"Password di «{args.username}» cambiata; le sue sessioni sono chiuse.")
            elif args.comando == "disable-staff":
                disabilita_staff(session=session, nome_utente=args.username)
                _dici(f"Account «{args.username}» disabilitato; le sue sessioni sono chiuse.")
            elif args.comando == "enable-staff":
                if abilita_staff(session=session, nome_utente=args.username):
                    _dici(f"Account «{args.username}» riabilitato: può accedere di nuovo.")
                else:
                    _dici(f"L’account «{args.username}» è già attivo.")
            else:
                for staff in elenco_staff(session=session):
                    stato = "attivo" if staff.attivo else "disabilitato"
                    print(f"{sicuro(staff.nome_utente)}\t{staff.ruolo}\t{stato}")
    except (ErrorePersonale, PasswordNonValida) as errore:
        _errore(errore)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
