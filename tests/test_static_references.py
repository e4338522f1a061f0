"""Every `{% static %}` a template names, and every script or stylesheet our Python
code names, is a file the finders know: a wrong path only shows as a 404 in the
browser (a blank chart, an unstyled calendar), and under the manifest storage of
production as a 500."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parent.parent
STATIC = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]""")  # templates
# In Python: static("...") and the scripts and styles of form and panel Media.
ASSET = re.compile(r"""['"]([\w./-]+\.(?:js|css))['"]""")


def static_references():
    found = []
    for folder in ("cms", "publishing"):
        for template in sorted((ROOT / folder).rglob("templates/**/*.html")):
            for name in STATIC.findall(template.read_text()):
                found.append((str(template.relative_to(ROOT)), name))
        for module in sorted((ROOT / folder).rglob("*.py")):
            for name in ASSET.findall(module.read_text()):
                found.append((str(module.relative_to(ROOT)), name))
    return found


def test_every_static_file_a_template_names_exists():
    references = static_references()
    assert len(references) > 6
    missing = [(t, name) for t, name in references if not finders.find(name)]
    assert missing == []


def test_a_wrong_path_is_reported():
    assert finders.find("publishing/dashboard.js")
    assert not finders.find("publishing/metrics/dashboard.js")
