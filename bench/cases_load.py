"""Case list and case page latency under load, beside a bare Django view on the same server
(run by `make bench-cases`; see bench/README.md).

1. Creates a fresh PostgreSQL database (default postgres://postgres@127.0.0.1:5432/concord_bench; only a
   database whose name contains "bench" is ever dropped), migrates it and fills it with
   `manage.py generate_bench_cases` (100,000 cases, 2,000 organisations, 5,000 users by default).
   --reuse-database skips this when the database already holds the generated data.
2. Starts gunicorn as `make demo` does (gthread, 2 workers x 4 threads, DEBUG off), with CONCORD_BENCH=1,
   which mounts the bare view /bench/bare (no database query, no template).
3. Signs in the bench case manager (the case manager of the largest organisation, who has two-factor
   sign-in set up) by creating a session in the database as Django's test client does, and sends its
   cookie with every request.
4. Checks that every URL answers 200 to that session (any other answer stops the run), then runs wrk
   with 20 connections for 20 s against each in turn and prints requests/s and p50/p95/p99 latency side
   by side.

    uv run --frozen python bench/cases_load.py [--cases 100000] [--list-url /cases/]
        [--case-url /cases/<code>/] [--also /coordination/tasks/] [--duration 20] [--connections 20]

wrk runs on the same machine as the server and the database: the figures compare pages with each other
and with the bare view, they are not the capacity of a production server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/concord_bench"
# The environment of `make demo` (Makefile LOCAL_ENV): fixed, public demo keys.
ENVIRONMENT = {
    "CONCORD_SECRET_KEY": "bench-only-secret-key-not-for-production",
    "CONCORD_FIELD_ENCRYPTION_KEYS": "demo-only-field-key-NOT-for-production-0000=",
    "CONCORD_BLIND_INDEX_KEY": "demo-only-blind-index-key-NOT-for-production",
    "CONCORD_SECURE_SSL_REDIRECT": "false",
    "CONCORD_SECURE_COOKIES": "false",
    "CONCORD_HSTS_SECONDS": "0",
    "CONCORD_LOG_LEVEL": "WARNING",
    "CONCORD_BENCH": "1",
}
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('WRK {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"max": %d, "non_2xx": %d, "errors": %d}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.status, errors))
end
"""


@dataclass
class Target:
    title: str
    path: str
    signed_in: bool = True


@dataclass
class Result:
    target: Target
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    errors: int


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--reuse-database", action="store_true", help="keep the data of an earlier run")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=2_000)
    parser.add_argument("--users", type=int, default=5_000)
    parser.add_argument("--list-url", default="/cases/")
    parser.add_argument(
        "--case-url", default="/cases/<code>/", help="<code>: a case of the bench case manager"
    )
    parser.add_argument("--also", action="append", default=[], help="another signed-in page to measure")
    parser.add_argument("--duration", type=int, default=20, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-threads", type=int, default=4, help="gunicorn threads per worker")
    return parser.parse_args()


def prepare_database(args: argparse.Namespace) -> None:
    """Drop and create the benchmark database, migrate, generate (unless reused)."""
    import psycopg

    url = urlsplit(args.database_url)
    name = url.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to recreate {name!r}: the benchmark database's name must contain 'bench'."
        )
    maintenance = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if args.reuse_database and exists:
            return
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"-- created {name}; migrating", flush=True)
    manage("migrate", "--noinput", "-v0")
    print("-- generating the case load", flush=True)
    manage(
        "generate_bench_cases",
        f"--cases={args.cases}",
        f"--organisations={args.organisations}",
        f"--users={args.users}",
    )


def manage(*command: str) -> None:
    subprocess.run([sys.executable, "manage.py", *command], cwd=REPO, check=True)  # noqa: S603


def session_and_case() -> tuple[str, str, str, dict[str, int]]:
    """A signed-in session of the bench case manager, and one of their cases."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from concord.accounts.models import User
    from concord.cases.management.commands.generate_bench_cases import BENCH_MANAGER
    from concord.cases.models import Case, CaseAssignment, Referral

    user = User.objects.filter(email=BENCH_MANAGER).first()
    if user is None:
        raise SystemExit(f"No {BENCH_MANAGER} in the database: run without --reuse-database.")
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    visible = Case.objects.visible_to(user)
    case = visible.order_by("-created_at").first()
    if case is None:
        raise SystemExit("The bench case manager sees no case.")
    counts = {
        "cases": Case.objects.count(),
        "referrals": Referral.objects.count(),
        "assignments": CaseAssignment.objects.count(),
        "cases the bench case manager sees": visible.count(),
    }
    return settings.SESSION_COOKIE_NAME, cookie, case.code, counts


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def check(base: str, target: Target, cookie: str) -> None:
    headers = {"Cookie": cookie} if target.signed_in else {}
    request = urllib.request.Request(base + target.path, headers=headers)  # noqa: S310  (http://127.0.0.1)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(
            f"!! {target.title} ({target.path}) answered {status}, not 200: nothing to measure. "
            "Pass another URL with --list-url / --case-url, or build the page first."
        )


def start_server(args: argparse.Namespace, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "concord.config.wsgi", "--bind", f"127.0.0.1:{args.port}",
        "--worker-class", "gthread", "--workers", str(args.workers), "--threads", str(args.worker_threads),
        "--capture-output", "--log-file", str(log),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=REPO, start_new_session=True)  # noqa: S603
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn did not start:\n{log.read_text()}") from None
            time.sleep(0.5)
    raise SystemExit("gunicorn gave no answer on /healthz within a minute")


def measure(args: argparse.Namespace, base: str, target: Target, cookie: str, script: Path) -> Result:
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s",
               "--timeout", "60s", "-s", str(script)]  # fmt: skip
    if target.signed_in:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, base + target.path], capture_output=True, text=True, check=True)  # noqa: S603
    line = next(line for line in output.stdout.splitlines() if line.startswith("WRK "))
    data = json.loads(line[4:])
    return Result(
        target=target,
        requests_per_second=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        non_2xx=data["non_2xx"],
        errors=data["errors"],
    )


def report(results: list[Result]) -> None:
    header = ("", "URL", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "non-2xx", "errors")
    rows = [header] + [
        (
            r.target.title, r.target.path, f"{r.requests_per_second:.1f}", f"{r.p50_ms:.1f}",
            f"{r.p95_ms:.1f}", f"{r.p99_ms:.1f}", f"{r.max_ms:.0f}", str(r.non_2xx), str(r.errors),
        )
        for r in results
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for number, row in enumerate(rows):
        cells = [cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        print("  " + "  ".join(cells))
        if number == 0:
            print("  " + "  ".join("-" * width for width in widths))


def main() -> int:
    args = arguments()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench-cases installs it).")
    for key, value in ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.config.settings")
    sys.path.insert(0, str(REPO))
    work = Path(tempfile.mkdtemp(prefix="concord-bench-"))
    os.environ.setdefault("CONCORD_STATIC_ROOT", str(REPO / "var" / "bench-static"))
    started = time.monotonic()
    prepare_database(args)
    print(f"-- database ready in {time.monotonic() - started:.0f} s; collecting static files", flush=True)
    manage("collectstatic", "--noinput", "-v0")
    cookie_name, session, code, counts = session_and_case()
    cookie = f"{cookie_name}={session}"
    targets = [
        Target("bare view, anonymous", "/bench/bare", signed_in=False),
        Target("bare view, signed in", "/bench/bare"),
        Target("case list", args.list_url.replace("<code>", code)),
        Target("case page", args.case_url.replace("<code>", code)),
        *(Target("other page", path.replace("<code>", code)) for path in args.also),
    ]
    base = f"http://127.0.0.1:{args.port}"
    script = work / "report.lua"
    script.write_text(WRK_SCRIPT)
    log = work / "gunicorn.log"
    server = start_server(args, log)
    results = []
    try:
        for target in targets:
            check(base, target, cookie)
        for target in targets:
            print(
                f"-- {target.title}: {target.path} ({args.connections} connections, {args.duration} s)",
                flush=True,
            )
            results.append(measure(args, base, target, cookie, script))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    load = os.getloadavg()
    print()
    print(
        f"Concord under load, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        + ", ".join(f"{count:,} {what}" for what, count in counts.items())
    )
    print(
        f"gunicorn gthread {args.workers}x{args.worker_threads}, wrk {args.threads} threads x "
        f"{args.connections} connections x {args.duration} s per URL, {os.cpu_count()} CPUs shared by "
        f"server, database and wrk; load average after the run {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    report(results)
    server_errors = "Internal Server Error" in log.read_text()
    failed = server_errors or any(r.non_2xx or r.errors for r in results)
    if failed:
        print(
            f"!! some requests failed (non-2xx, socket or server errors); server log: {log}", file=sys.stderr
        )
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
