"""The local review page: FastAPI + Jinja2, served by uvicorn on 127.0.0.1 (`crosscheck review --serve`).

One job: let a reviewer read each discrepancy and record a verdict from a browser, without weakening the
warehouse or the machine:

- **Loopback by default.** `serve()` binds 127.0.0.1; every request's Host header must name a loopback
  address (or the host it was explicitly bound to), so a DNS-rebinding page cannot talk to it either.
- **No cross-site writes.** A per-process random token is embedded in the page's forms; a POST without it,
  with a foreign `Origin` (or `Referer`), or marked `Sec-Fetch-Site: cross-site`, gets 403.
- **One writer, briefly.** The warehouse is opened per request and closed before the response: read-only
  for pages, writable for one short transaction per verdict; nothing is held between requests, so the
  pipeline and `crosscheck query` can use the file while the page is open.
- **Everything scraped is escaped** (templates autoescape; reports/html.py), and the page is sent with a
  Content-Security-Policy that runs only its own filter script and forbids framing.
- **Bounded input.** A verdict form is at most MAX_FORM_BYTES: a larger Content-Length is refused (413) before
  any of the body is read, and a body without one (chunked) or longer than it said is read only up to the
  limit, then refused; either way the connection is closed rather than drained. The reviewer's name and the
  note have length limits (MAX_REVIEWER_CHARS, MAX_NOTE_CHARS): longer ones are refused (400), nothing stored.
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import duckdb
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from core.errors import CrosscheckError
from reports.html import page_csp, render_report, render_review_page
from reports.model import load_discrepancies, load_story_report, story_ids
from reports.review import VERDICT_LABELS, VERDICTS, record_verdict
from warehouse.db import connect, open_warehouse

T = TypeVar("T")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD = frozenset({"0.0.0.0", "::", ""})
MAX_FORM_BYTES = 64_000
MAX_REVIEWER_CHARS = 100  # a name, not a paragraph
MAX_NOTE_CHARS = 2_000  # a few sentences of why; the whole form is capped at MAX_FORM_BYTES anyway
REVIEWER_ENV = "CROSSCHECK_REVIEWER"
_KEY_RE = re.compile(r"^[0-9a-f]{4,16}$")
_STORY_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def default_reviewer() -> str:
    """`$CROSSCHECK_REVIEWER`, else the login name."""
    name = os.environ.get(REVIEWER_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def _hostname(host_header: str) -> str | None:
    try:
        return urlsplit("//" + host_header).hostname
    except ValueError:
        return None


class Guard:
    """Host, origin and token checks for the review server."""

    def __init__(self, token: str, allowed_hosts: Iterable[str]) -> None:
        self.token = token
        self.allowed_hosts = frozenset(h.lower().strip("[]") for h in allowed_hosts)

    def host_ok(self, request: Request) -> bool:
        name = _hostname(request.headers.get("host", ""))
        return name is not None and name.lower() in self.allowed_hosts

    def same_origin(self, request: Request) -> bool:
        """False when the browser says the request comes from another site."""
        fetch_site = request.headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            return False
        own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
        origin = request.headers.get("origin")
        if origin is not None:
            return origin.lower().rstrip("/") == own
        referer = request.headers.get("referer")
        if referer:
            parts = urlsplit(referer)
            return f"{parts.scheme}://{parts.netloc}".lower() == own
        return True  # not a browser (curl, a script): the token decides

    def token_ok(self, given: str | None) -> bool:
        return given is not None and secrets.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts, and the
    # origin check needs the real one; links out still carry no referrer.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def create_app(db_path: Path, *, reviewer: str | None = None, story: str | None = None,
               allowed_hosts: Iterable[str] = LOOPBACK, token: str | None = None,
               wait_s: float | None = None, titles: Mapping[str, str] | None = None) -> FastAPI:
    """The review app over the warehouse at `db_path` (migrated once here, then opened per request).
    `titles` names the stories' reports (story id -> title)."""
    db_path = Path(db_path)
    open_warehouse(db_path, wait_s=wait_s).close()  # apply pending migrations (review_verdicts) up front
    guard = Guard(token or secrets.token_urlsafe(32), allowed_hosts)
    who = reviewer or default_reviewer()
    lock = threading.Lock()  # one warehouse connection at a time in this process (read-only vs writable)
    app = FastAPI(title="crosscheck review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.token = guard.token
    app.state.db_path = db_path

    def read(fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        with lock:
            con = connect(db_path, read_only=True, wait_s=wait_s)
            try:
                return fn(con)
            finally:
                con.close()

    def write(fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        with lock:
            con = connect(db_path, wait_s=wait_s)
            try:
                return fn(con)
            finally:
                con.close()

    @app.middleware("http")
    async def checks(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if not guard.host_ok(request):
            response: Response = PlainTextResponse("unexpected Host header", status_code=400)
        elif request.method not in ("GET", "HEAD") and not guard.same_origin(request):
            response = PlainTextResponse("cross-site request refused", status_code=403)
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def page(con: duckdb.DuckDBPyConnection, message: str | None, error: str | None) -> str:
        discrepancies = load_discrepancies(con, story)
        verdicts = dict(con.execute("SELECT fact_id, verdict FROM fact_verdicts").fetchall())
        return render_review_page(discrepancies, token=guard.token, reviewer=who, fact_verdicts=verdicts,
                                  stories=[story] if story else story_ids(con), message=message, error=error,
                                  story=story)

    @app.get("/", response_class=HTMLResponse)
    async def index(saved: str | None = None, verdict: str | None = None) -> HTMLResponse:
        message = None
        if saved and _KEY_RE.match(saved) and verdict in VERDICTS:
            message = f"Saved: {VERDICT_LABELS[verdict]} for discrepancy {saved}."
        html = await run_in_threadpool(read, lambda con: page(con, message, None))
        return HTMLResponse(html, headers={"Content-Security-Policy": page_csp()})

    @app.get("/report/{story_id}", response_class=HTMLResponse)
    async def report(story_id: str) -> Response:
        if not _STORY_RE.match(story_id):
            return PlainTextResponse("no such story", status_code=404)

        def build(con: duckdb.DuckDBPyConnection) -> str | None:
            if story_id not in story_ids(con):
                return None
            return render_report(load_story_report(con, story_id, title=(titles or {}).get(story_id)))

        html = await run_in_threadpool(read, build)
        if html is None:
            return PlainTextResponse("no such story", status_code=404)
        return HTMLResponse(html, headers={"Content-Security-Policy": page_csp()})

    @app.get("/api/discrepancies")
    async def api(state: str | None = None) -> JSONResponse:
        def listing(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
            found = load_discrepancies(con, story, [state] if state else None)
            return [{"key": d.key, "story": d.story, "fact": d.label, "review_state": d.review_state,
                     "verdict": d.verdict or None, "evidence_hash": d.evidence_hash} for d in found]

        return JSONResponse(await run_in_threadpool(read, listing))

    @app.get("/favicon.ico")
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz", response_class=PlainTextResponse)
    async def healthz() -> str:
        return "ok"

    @app.post("/verdict")
    async def verdict(request: Request) -> Response:
        body = await read_capped(request, MAX_FORM_BYTES)
        if isinstance(body, Response):
            return body
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        if not guard.token_ok(form.get("token") or request.headers.get("x-crosscheck-token")):
            return PlainTextResponse("missing or wrong form token: reload the review page", status_code=403)
        key = form.get("key", "").strip().lower()
        choice = form.get("verdict", "")
        if not _KEY_RE.match(key) or choice not in VERDICTS:
            return PlainTextResponse("bad key or verdict", status_code=400)
        too_long = field_too_long(form)
        if too_long:
            return PlainTextResponse(too_long, status_code=400)
        try:
            await run_in_threadpool(write, lambda con: record_verdict(con, key, choice, form.get("reviewer", ""),
                                                                     form.get("note")))
        except CrosscheckError as exc:
            problem = str(exc)
            html = await run_in_threadpool(read, lambda con: page(con, None, problem))
            return HTMLResponse(html, status_code=400, headers={"Content-Security-Policy": page_csp()})
        return RedirectResponse(f"/?saved={key}&verdict={choice}#d-{key}", status_code=303)

    return app


def _refuse_body(message: str, status: int) -> Response:
    """A refusal sent before the body was read to its end: the connection is closed, not drained."""
    return PlainTextResponse(message, status_code=status, headers={"Connection": "close"})


async def read_capped(request: Request, limit: int) -> bytes | Response:
    """The request body if it is at most `limit` bytes, else the refusal to send. A declared Content-Length over
    the limit is refused before anything is read; otherwise the body is read chunk by chunk and reading stops
    as soon as it passes the limit (a chunked body, or one longer than it said), so no more than `limit` plus
    one chunk is ever held."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not (declared.strip().isascii() and declared.strip().isdigit()):
            return _refuse_body("bad Content-Length header", 400)
        if int(declared) > limit:
            return _refuse_body(f"form too large: {int(declared):,} bytes, the limit is {limit:,}", 413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return _refuse_body(f"form too large: over {limit:,} bytes", 413)
    return bytes(body)


def field_too_long(form: Mapping[str, str]) -> str | None:
    """Why a verdict form's free text is refused (a reviewer name or note over its limit), or None."""
    for name, label, limit in (("reviewer", "reviewer name", MAX_REVIEWER_CHARS), ("note", "note", MAX_NOTE_CHARS)):
        length = len(form.get(name, "").strip())
        if length > limit:
            return f"{label} too long: {length:,} characters, the limit is {limit:,}"
    return None


def allowed_hosts_for(host: str) -> frozenset[str]:
    """Loopback names, plus the bound host when it is a specific address."""
    return LOOPBACK | ({host} if host not in WILDCARD else frozenset())


def serve(db_path: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, reviewer: str | None = None,
          story: str | None = None, titles: Mapping[str, str] | None = None) -> None:
    """Run the review server until interrupted."""
    import uvicorn

    app = create_app(db_path, reviewer=reviewer, story=story, allowed_hosts=allowed_hosts_for(host), titles=titles)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
