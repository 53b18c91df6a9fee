"""The lock files pin every dependency with its hashes, and `make audit-deps`
fails on a locked version with a known vulnerability.

The audit is run against a stand-in for OSV's query API on loopback (tests
call no outside host). It answers with OSV's record of a real advisory,
PYSEC-0000-CVE-2021-33203 (pypa/advisory-database), for the Django releases
it names, and with nothing for any other version."""

import json
import re
import shlex
import subprocess
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.servers import ROOT, free_port

ADVISORY = {
    "id": "PYSEC-0000-CVE-2021-33203",
    "aliases": ["CVE-2021-33203"],
    "details": "Django before 2.2.24, 3.x before 3.1.12, and 3.2.x before 3.2.4 "
    "has a potential directory traversal via django.contrib.admindocs.",
    "published": "2021-06-08T18:15:00Z",
    "affected": [
        {
            "package": {"name": "django", "ecosystem": "PyPI"},
            "ranges": [
                {
                    "type": "ECOSYSTEM",
                    "events": [{"introduced": "3.2"}, {"fixed": "3.2.4"}],
                }
            ],
            "versions": ["3.2", "3.2.1", "3.2.2", "3.2.3"],
        }
    ],
}
# Django 3.2's wheel, as PyPI lists it: the audit wants a hash on every line.
DJANGO_3_2 = (
    "django==3.2.0 \\\n"
    "    --hash=sha256:0604e84c4fb698a5e53e5857b5aea945b2f19a18f25f10b8748dbdf935788927\n"
)


def locked(path):
    """{name: (version, hashes)} of a pip-compile lock file."""
    text = path.read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        if not line or line.startswith(("#", " ")):
            continue
        requirement, *options = line.split()
        name, version = requirement.split("==")
        hashes = [option for option in options if option.startswith("--hash=sha256:")]
        pins[canonicalize_name(name)] = (version, hashes)
    return pins


def wanted(extra=None):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = (
        project["optional-dependencies"][extra] if extra else project["dependencies"]
    )
    return [Requirement(line) for line in listed]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", wanted()),
        ("requirements-dev.lock", wanted() + wanted("dev")),
    ],
)
def test_every_dependency_is_pinned_with_hashes(lock, requirements):
    pins = locked(ROOT / lock)
    for requirement in requirements:
        version, hashes = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), (requirement, version)
        assert hashes, requirement.name
    assert all(hashes for _, hashes in pins.values())


def test_the_development_lock_installs_the_same_versions():
    production = locked(ROOT / "requirements.lock")
    development = locked(ROOT / "requirements-dev.lock")
    assert {name: development[name] for name in production} == production


class StandInOSV(BaseHTTPRequestHandler):
    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        package, version = query["package"]["name"], Version(query["version"])
        self.server.asked.add((package, str(version)))
        vulns = [
            advisory
            for advisory in [ADVISORY]
            for affected in advisory["affected"]
            if affected["package"]["name"] == package
            and version in {Version(v) for v in affected["versions"]}
        ]
        body = json.dumps({"vulns": vulns} if vulns else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def osv():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInOSV)
    server.asked = set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1/query", server.asked
    finally:
        server.shutdown()
        server.server_close()


def audit(tmp_path, lock_text, osv_url):
    """The pip-audit command of `make audit-deps`, run on one lock file."""
    lock = tmp_path / "requirements.lock"
    lock.write_text(lock_text)
    dry_run = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-n",
            "audit-deps",
            f"LOCKS={lock}",
            f"OSV_URL={osv_url}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = dry_run.stdout.replace("\\\n", " ").splitlines()
    [command] = [line for line in commands if "bin/pip-audit " in line]
    return subprocess.run(
        shlex.split(command),
        cwd=ROOT,
        # A cache of its own: pip-audit keeps OSV's answers between runs.
        env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_known_vulnerable_pin_fails_the_audit(tmp_path, osv):
    url, _ = osv
    result = audit(tmp_path, DJANGO_3_2, url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(
        r"^django\s+3\.2\.0\s+PYSEC-0000-CVE-2021-33203\s+3\.2\.4", result.stdout, re.M
    )


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_version_is_audited(tmp_path, osv, lock):
    url, asked = osv
    result = audit(tmp_path, (ROOT / lock).read_text(), url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No known vulnerabilities found" in result.stderr
    pins = locked(ROOT / lock)
    assert asked == {(name, version) for name, (version, _) in pins.items()}


def test_an_audit_that_gets_no_answer_fails(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/v1/query"
    result = audit(tmp_path, DJANGO_3_2, closed)
    assert result.returncode != 0
    assert "No known vulnerabilities found" not in result.stdout + result.stderr
