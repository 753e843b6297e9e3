"""The structured data about the cooperative (`seo.json_ld`): valid JSON whatever the staff
write in the description, and no text that could close its <script>."""

import json

from serena_app.web.seo import json_ld


def test_a_description_with_markup_stays_inside_the_script_and_reads_back_the_same():
    descrizione = 'Servizi </script><script>alert(1)</script> "e" cura'
    testo = json_ld(descrizione)
    assert "<" not in testo
    assert json.loads(testo)["description"] == descrizione
