"""WCAG 2.2 AA in a real browser (axe-core) and valid HTML (the Nu HTML checker)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
        ],
    }
}


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"])
        for v in violations
    )


@pytest.mark.browser
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violations(live_server, browser, reader_pages, color_scheme):
    context = browser.new_context(
        color_scheme=color_scheme, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    axe = Axe()
    found = {}
    for name, path in reader_pages.items():
        page.goto(live_server.url + path)
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            found[name] = describe(violations)
    context.close()
    assert found == {}


def nu_checker():
    java = shutil.which("java")
    if VNU_JAR.exists() and java:
        return [java, "-jar", str(VNU_JAR)]
    message = "Nu HTML checker not found: run `npm ci` (needs Java) to install vnu-jar."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_nu_html_checker_finds_no_errors(client, reader_pages, tmp_path):
    command = nu_checker()
    files = []
    for name, path in reader_pages.items():
        html_file = tmp_path / f"{name.replace(' ', '-')}.html"
        html_file.write_bytes(client.get(path).content)
        files.append(str(html_file))
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stdout)["messages"]
    assert [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages
    ] == []
