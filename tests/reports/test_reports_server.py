"""The review server: loopback by default, refuses cross-site writes, opens the warehouse per request only."""

from __future__ import annotations

import inspect
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import warnings

import duckdb
import pytest
from reports_support import CLI, SCRIPT_PAYLOAD, Project, Server, a_key
from typer.testing import CliRunner

from crosscheck.cli import app as cli_app
from crosscheck.cli import review as review_command
from reports import server
from reports.server import create_app
from warehouse.db import connect, open_warehouse

with warnings.catch_warnings():  # Starlette suggests httpx2; the httpx it ships with still works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8765"


@pytest.fixture
def client(project: Project) -> TestClient:
    return TestClient(create_app(project.db, reviewer="Ana Reviewer", token="test-token", wait_s=0), base_url=BASE)


def verdicts(project: Project) -> list[tuple[str, str, str]]:
    con = connect(project.db, read_only=True)
    try:
        return con.execute("SELECT discrepancy_key, verdict, reviewer FROM review_verdicts").fetchall()
    finally:
        con.close()


def test_binds_loopback_by_default() -> None:
    assert inspect.signature(server.serve).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(review_command).parameters["host"].default == "127.0.0.1"
    assert server.allowed_hosts_for("0.0.0.0") == server.LOOPBACK


def test_page_lists_discrepancies_with_token_and_escapes(client: TestClient, project: Project) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert 'name="token" value="test-token"' in r.text
    assert r.text.count('<form class="verdict"') == r.text.count('data-card ')
    assert SCRIPT_PAYLOAD not in r.text and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in r.text
    report = client.get("/report/iran-2020")
    assert report.status_code == 200 and "Facts, figures and discrepancies" in report.text
    assert SCRIPT_PAYLOAD not in report.text
    assert client.get("/report/nope").status_code == 404
    assert client.get("/report/..%2F..%2Fetc").status_code == 404


def test_post_with_token_and_same_origin_records_the_verdict(client: TestClient, project: Project) -> None:
    key = a_key(project)
    r = client.post("/verdict", data={"token": "test-token", "key": key, "verdict": "real", "note": "ok",
                                      "reviewer": "Ana Reviewer"},
                    headers={"Origin": BASE, "Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/?saved={key}")
    assert verdicts(project) == [(key, "real", "Ana Reviewer")]
    page = client.get(r.headers["location"])
    assert "Saved: Real discrepancy" in page.text
    assert client.get("/api/discrepancies", params={"state": "reviewed"}).json()[0]["key"] == key


@pytest.mark.parametrize("headers, form_token", [
    ({}, None),  # no token
    ({}, "wrong-token"),
    ({"Origin": "http://evil.example"}, "test-token"),  # a foreign page posting with a stolen token
    ({"Origin": "null"}, "test-token"),
    ({"Referer": "http://evil.example/page"}, "test-token"),
    ({"Sec-Fetch-Site": "cross-site"}, "test-token"),
    ({"Origin": "http://127.0.0.1:9999"}, "test-token"),  # another local port is another origin
])
def test_cross_site_or_tokenless_posts_get_403(client: TestClient, project: Project, headers: dict[str, str],
                                               form_token: str | None) -> None:
    data = {"key": a_key(project), "verdict": "real", "reviewer": "Mallory"}
    if form_token is not None:
        data["token"] = form_token
    r = client.post("/verdict", data=data, headers=headers, follow_redirects=False)
    assert r.status_code == 403
    assert verdicts(project) == []


def test_foreign_host_header_is_refused(client: TestClient) -> None:
    """A DNS-rebinding page reaches the server under its own name: refused before anything runs."""
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 400
    r = client.post("/verdict", data={"token": "test-token"}, headers={"Host": "evil.example:8765"})
    assert r.status_code == 400


def test_bad_input_is_refused_without_writing(client: TestClient, project: Project) -> None:
    ok = {"token": "test-token", "reviewer": "Ana"}
    assert client.post("/verdict", data={**ok, "key": a_key(project), "verdict": "maybe"}).status_code == 400
    assert client.post("/verdict", data={**ok, "key": "<script>", "verdict": "real"}).status_code == 400
    r = client.post("/verdict", data={**ok, "key": "ffffffffffffffff", "verdict": "real"})
    assert r.status_code == 400 and "no current discrepancy" in r.text
    r = client.post("/verdict", data={**ok, "key": a_key(project), "verdict": "real", "reviewer": " "})
    assert r.status_code == 400 and "reviewer" in r.text
    assert client.post("/verdict", content=b"x" * 70_000, headers={"X-Crosscheck-Token": "test-token"}).status_code \
        == 413
    assert verdicts(project) == []


def test_server_holds_no_connection_between_requests(review_server: Server, project: Project) -> None:
    """A real server process: after it served the page and a verdict, this process can take the write lock at once."""
    with urllib.request.urlopen(review_server.url + "/", timeout=10) as r:
        page = r.read().decode("utf-8")
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    key = a_key(project)
    body = urllib.parse.urlencode({"token": token, "key": key, "verdict": "resolved", "reviewer": "Ana"}).encode()
    req = urllib.request.Request(review_server.url + "/verdict", data=body, method="POST",
                                 headers={"Origin": review_server.url})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200 and "Saved: Resolved" in r.read().decode("utf-8")
    con = open_warehouse(project.db, wait_s=0)  # would raise WarehouseBusyError if the server held the file
    try:
        assert con.execute("SELECT verdict FROM review_verdicts WHERE discrepancy_key = ?", [key]).fetchone() \
            == ("resolved",)
    finally:
        con.close()
    # and a writer elsewhere (the CLI) works while the page stays up
    other = a_key_other(project, key)
    done = subprocess.run([*CLI, "review", "set", other, "--verdict", "real", "--reviewer", "Ben"],
                          env=project.env(CROSSCHECK_DB_WAIT_S="0"), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with urllib.request.urlopen(review_server.url + "/api/discrepancies?state=reviewed", timeout=10) as r:
        assert r.read().decode().count('"key"') == 2
    # no token from another origin, against the real server
    bad = urllib.request.Request(review_server.url + "/verdict", data=body, method="POST",
                                 headers={"Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=10)
    assert refused.value.code == 403


def a_key_other(project: Project, not_this: str) -> str:
    con = duckdb.connect(str(project.db), read_only=True)
    try:
        return con.execute("SELECT discrepancy_key FROM discrepancy_review WHERE discrepancy_key <> ? LIMIT 1",
                           [not_this]).fetchone()[0]  # type: ignore[index]
    finally:
        con.close()


def test_review_cli_list_and_set(project: Project) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli_app, ["review", "list", "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    keys = [line for line in listed.stdout.splitlines() if line.strip()]
    assert len(keys) >= 20 and all('"review_state": "new"' in k for k in keys)
    key = a_key(project)
    done = runner.invoke(cli_app, ["review", "set", key[:8], "--verdict", "extraction_error", "--note", "misread",
                                   "--reviewer", "Ana"])
    assert done.exit_code == 0, done.output
    assert f"{key}: Extraction error by Ana" in done.output
    rest = runner.invoke(cli_app, ["review", "list", "--format", "jsonl"])
    assert len([x for x in rest.stdout.splitlines() if x.strip()]) == len(keys) - 1
    reviewed = runner.invoke(cli_app, ["review", "list", "--state", "reviewed", "--format", "json"])
    assert '"verdict": "extraction_error"' in reviewed.stdout and '"note": "misread"' in reviewed.stdout
    table = runner.invoke(cli_app, ["review", "list", "--state", "all"])
    assert table.exit_code == 0 and key in table.output and "Reviewed" in table.output
    bad = runner.invoke(cli_app, ["review", "set", "zzzz", "--verdict", "real"])
    assert bad.exit_code == 1 and "no current discrepancy" in bad.output
    assert runner.invoke(cli_app, ["review", "list", "--state", "maybe"]).exit_code == 1
    assert runner.invoke(cli_app, ["review"]).exit_code == 0  # help
