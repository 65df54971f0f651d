"""The review server's input limits, against the real server process over loopback: an oversized form is refused
without the server holding it (its peak RSS is read from /proc), a chunked body is cut off at the limit, and
over-long free text is refused before anything is stored."""

from __future__ import annotations

import re
import select
import socket
import time
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from reports_support import Project, Server, a_key

from reports.server import MAX_FORM_BYTES, MAX_NOTE_CHARS, MAX_REVIEWER_CHARS, create_app
from warehouse.db import connect

with warnings.catch_warnings():  # Starlette suggests httpx2; the httpx it ships with still works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

MB = 1_000_000
BIG = 300 * MB  # what a runaway script (or a hostile page) might post
GROWTH_ALLOWED_KB = 8_000  # "a few MB": reading the whole body would add over 300 MB


def status_kb(pid: int, field: str) -> int:
    """A `VmRSS`/`VmHWM` line of /proc/<pid>/status, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def reset_peak(pid: int) -> int:
    """Reset the process's peak RSS (VmHWM) to its current RSS (Linux: "5" to clear_refs) and return that."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return status_kb(pid, "VmRSS")


def page_token(server: Server) -> str:
    with urllib.request.urlopen(server.url + "/", timeout=10) as r:
        page = r.read().decode("utf-8")
    return re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def stored_verdicts(project: Project) -> int:
    con = connect(project.db, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM review_verdicts").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()


def raw_post(server: Server, head: str, body: Iterator[bytes]) -> tuple[bytes, int]:
    """Send a request head, then `body` piece by piece for as long as the server reads it, over a raw socket.
    Stops sending as soon as the server answers (or shuts the connection); returns (what it answered, bytes of
    body sent)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    answer = b""
    sent = 0
    try:
        sock.sendall(head.encode("latin-1"))
        sock.setblocking(False)
        pending = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not pending:
                pending = next(body, b"")
                if not pending:
                    break
            readable, writable, _ = select.select([sock], [sock], [], 5)
            if readable:
                break  # the server has answered: stop sending
            if writable:
                try:
                    n = sock.send(pending)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += n
                pending = pending[n:]
        sock.setblocking(True)
        sock.settimeout(10)
        while True:
            try:
                got = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not got:
                break
            answer += got
            if b"\r\n\r\n" in answer and b"form too large" in answer:
                break
    finally:
        sock.close()
    return answer, sent


def zeros(total: int, piece: int = MB) -> Iterator[bytes]:
    block = b"x" * piece
    for _ in range(total // piece):
        yield block


def chunked(total: int, piece: int = 64 * 1024) -> Iterator[bytes]:
    block = b"x" * piece
    frame = f"{piece:x}\r\n".encode() + block + b"\r\n"
    for _ in range(total // piece):
        yield frame
    yield b"0\r\n\r\n"


def warm_up(server: Server, project: Project) -> None:
    """One page and one refused form, so the code a refusal runs is loaded before the peak is measured."""
    page_token(server)
    body = urllib.parse.urlencode({"key": a_key(project), "verdict": "real"}).encode()
    req = urllib.request.Request(server.url + "/verdict", data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(req, timeout=10)


def test_a_300_mb_post_is_refused_before_it_is_read(review_server: Server, project: Project) -> None:
    warm_up(review_server, project)
    pid = review_server.proc.pid
    before = reset_peak(pid)
    head = (f"POST /verdict HTTP/1.1\r\nHost: 127.0.0.1:{review_server.port}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {BIG}\r\n\r\n")
    answer, sent = raw_post(review_server, head, zeros(BIG))
    peak = status_kb(pid, "VmHWM")
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"form too large" in answer and f"{BIG:,} bytes".encode() in answer
    assert sent < BIG // 10  # refused on its Content-Length, not after reading
    assert peak - before < GROWTH_ALLOWED_KB, f"server RSS grew by {peak - before} kB"
    assert stored_verdicts(project) == 0
    with urllib.request.urlopen(review_server.url + "/healthz", timeout=10) as r:  # and it still serves
        assert r.read() == b"ok"


def test_a_chunked_body_past_the_limit_is_cut_off(review_server: Server, project: Project) -> None:
    warm_up(review_server, project)
    pid = review_server.proc.pid
    before = reset_peak(pid)
    head = (f"POST /verdict HTTP/1.1\r\nHost: 127.0.0.1:{review_server.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
    answer, sent = raw_post(review_server, head, chunked(BIG))
    peak = status_kb(pid, "VmHWM")
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert f"over {MAX_FORM_BYTES:,} bytes".encode() in answer
    assert b"connection: close" in answer.lower()  # not drained: the rest is never read
    assert sent < BIG // 10
    assert peak - before < GROWTH_ALLOWED_KB, f"server RSS grew by {peak - before} kB"
    assert stored_verdicts(project) == 0


def test_over_long_reviewer_name_or_note_is_refused_and_nothing_stored(review_server: Server,
                                                                       project: Project) -> None:
    token = page_token(review_server)
    key = a_key(project)

    def post(**fields: str) -> tuple[int, str]:
        body = urllib.parse.urlencode({"token": token, "key": key, "verdict": "real", **fields}).encode()
        req = urllib.request.Request(review_server.url + "/verdict", data=body, method="POST",
                                     headers={"Origin": review_server.url})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8")

    status, text = post(reviewer="A" * (MAX_REVIEWER_CHARS + 1))
    assert status == 400 and text == f"reviewer name too long: {MAX_REVIEWER_CHARS + 1} characters, the limit is " \
        f"{MAX_REVIEWER_CHARS}"
    status, text = post(reviewer="Ana", note="why " * (MAX_NOTE_CHARS // 4 + 1))
    assert status == 400 and text.startswith("note too long:")
    assert stored_verdicts(project) == 0
    status, text = post(reviewer="B" * MAX_REVIEWER_CHARS, note="n" * MAX_NOTE_CHARS)  # at the limits: stored
    assert status == 200 and "Saved: Real discrepancy" in text
    assert stored_verdicts(project) == 1


def test_limits_in_process(project: Project) -> None:
    """The same refusals through the ASGI app (no server process): an over-long name, a body just over the limit."""
    client = TestClient(create_app(project.db, reviewer="Ana", token="t", wait_s=0), base_url="http://127.0.0.1:8765")
    form = {"token": "t", "key": a_key(project), "verdict": "real"}
    r = client.post("/verdict", data={**form, "reviewer": "x" * 5_000})
    assert r.status_code == 400 and "reviewer name too long" in r.text
    r = client.post("/verdict", content=b"token=t&" + b"n" * MAX_FORM_BYTES,
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and r.headers["connection"] == "close"
    assert stored_verdicts(project) == 0
