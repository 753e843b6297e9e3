"""The structured data about the cooperative (`seo.json_ld`): valid JSON whatever the staff
write in the description, and no text that could close its <script>."""

import json
import subprocess
import sys
from pathlib import Path

from serena_app.state.contenuto import ContenutoState
from serena_app.web.seo import json_ld, json_ld_di


def test_a_description_with_markup_stays_inside_the_script_and_reads_back_the_same():
    descrizione = 'Servizi </script><script>alert(1)</script> "e" cura'
    testo = json_ld(descrizione)
    assert "<" not in testo
    assert json.loads(testo)["description"] == descrizione


def test_the_browsers_json_ld_is_the_servers():
    """The page computes the JSON-LD in the browser from the description (`json_ld_di`): run
    by Node.js, it gives exactly `json_ld`'s text."""
    descrizione = 'Servizi </script> "e" cura\nàè\\ \u2028 fine'
    espressione = str(json_ld_di(ContenutoState.descrizione)).replace(
        str(ContenutoState.descrizione), json.dumps(descrizione)
    )
    node = Path(sys.executable).with_name("node")
    risultato = subprocess.run(
        [str(node), "-e", f"process.stdout.write({espressione})"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert risultato.stdout == json_ld(descrizione)
