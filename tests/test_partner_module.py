"""The example partner module (examples/acme_hello) is pip-installed and found like ours.

Its own tests live in examples/acme_hello/tests; this one only proves the environment has it
installed through its entry point, from this repository's folder.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, distribution, entry_points
from pathlib import Path
from urllib.parse import unquote, urlsplit

HINT = "run make test (it pip-installs examples/acme_hello)"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme_hello"


def test_acme_hello_entry_point() -> None:
    found = {ep.name: ep.value for ep in entry_points(group="peyvand.modules")}
    assert "acme_hello" in found, f"no 'acme_hello' entry point in peyvand.modules: {HINT}"
    assert found["acme_hello"] == "acme_hello", f"acme_hello points at {found['acme_hello']!r}: {HINT}"


def test_acme_hello_installed_from_examples() -> None:
    try:
        dist = distribution("peyvand-acme-hello")
    except PackageNotFoundError:
        raise AssertionError(f"peyvand-acme-hello is not installed: {HINT}") from None
    assert "acme_hello" in {ep.name for ep in dist.entry_points if ep.group == "peyvand.modules"}, HINT
    # pip records where a local install came from (PEP 610) in direct_url.json.
    raw = dist.read_text("direct_url.json")
    assert raw, f"peyvand-acme-hello was not installed from a local folder: {HINT}"
    url = json.loads(raw)["url"]
    source = Path(unquote(urlsplit(url).path)).resolve()
    assert source == EXAMPLE, f"peyvand-acme-hello was installed from {url}, not {EXAMPLE}: {HINT}"
