"""A private copy of the working tree, so a benchmark's or a test server's build never clashes
with another's.

Every `reflex run` builds into `.web` of its folder with its own port baked into the bundle.
"""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGHI = "serena_app/lingue/locales/*/LC_MESSAGES/*.mo"


def copia_albero(dest: Path, *, with_web: bool = True) -> None:
    """Copy the working tree (tracked and untracked files, not ignored ones but the compiled
    catalogs) and `.web` to `dest`.

    `.web/node_modules` comes along so the copy needs no npm install; `.web/build` does not.

    Args:
        dest: An empty or missing folder.
        with_web: Copy `.web` too (False: as a fresh clone has it, nothing built).
    """
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    # The compiled gettext catalogs too: git ignores them (`make install` makes them).
    cataloghi = [str(mo.relative_to(ROOT)) for mo in ROOT.glob(CATALOGHI)]
    for name in [*filter(None, listing.split("\0")), *cataloghi]:
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    web = ROOT / ".web"
    if with_web and web.is_dir():

        def skip_build(folder: str, names: list[str]) -> list[str]:
            return ["build"] if Path(folder) == web else []

        shutil.copytree(web, dest / ".web", symlinks=True, ignore=skip_build)
