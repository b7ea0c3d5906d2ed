"""Page weight of the home page and a group page, as a signed-in demo user (run by `make bench`).

Loads the demo network into a throwaway SQLite database, collects the static files as production does
(whitenoise writes a brotli and a gzip copy of each), then asks Django's test client, through the whole
middleware stack, for each page and for every asset the page references, accepting "br, gzip" as a
browser does. It prints, per page:

- first load: the HTML plus every CSS, JS and icon file it references (and what those CSS files
  reference), each counted as served: the brotli copy where whitenoise has one;
- repeat load: the HTML alone, assets coming from the browser's cache (whitenoise serves them with
  hashed names and a one-year max-age);
- the number of other hosts the page and its stylesheets refer to, which must be 0.

Django itself does not compress HTML; the "br" column shows what a compressing reverse proxy would
send. Sizes are bodies only (no HTTP headers), in KB of 1,024 bytes. Exits 1 if a page refers to
another host or does not answer 200.
"""

from __future__ import annotations

import datetime
import gzip
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli

REPO = Path(__file__).resolve().parent.parent
HOST = "localhost"
USER_EMAIL = "case.manager@demo.concord.example"
GROUP_NAME = "Korçë Regional Anti-Trafficking Cooperation Group"
# Attributes through which a page makes the browser fetch or go somewhere.
URL_ATTRIBUTES = {"href", "src", "action", "poster", "data", "formaction"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class References(HTMLParser):
    """Every URL in a page; separately, the assets a browser loads with it."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in URL_ATTRIBUTES and value:
                self.urls.append(value)
            if name == "srcset":
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and rel & {
            "stylesheet",
            "icon",
            "shortcut",
            "apple-touch-icon",
            "preload",
            "modulepreload",
        }:
            self.assets.append(values.get("href", ""))
        elif tag in {"script", "img"} and values.get("src"):
            self.assets.append(values["src"])


@dataclass
class Resource:
    url: str
    raw: int
    gzip: int
    br: int
    served: int
    encoding: str


def measure(body: bytes, served: int, encoding: str, url: str) -> Resource:
    return Resource(
        url=url,
        raw=len(body),
        gzip=len(gzip.compress(body, compresslevel=9)),
        br=len(brotli.compress(body)),
        served=served,
        encoding=encoding,
    )


def is_external(url: str) -> str | None:
    """The other host a URL points to, if any (data: and same-origin URLs point nowhere else)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "mailto", "tel", "javascript", "blob"}:
        return None
    if parts.netloc and parts.hostname not in {HOST, "127.0.0.1"}:
        return parts.hostname
    return None


def prepare() -> None:
    """Environment as `make demo` has it, on a database and static folder of our own."""
    work = Path(tempfile.mkdtemp(prefix="concord-bench-"))
    os.environ.setdefault("CONCORD_SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ.setdefault("CONCORD_SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("CONCORD_SECURE_COOKIES", "false")
    os.environ.setdefault("CONCORD_HSTS_SECONDS", "0")
    os.environ["CONCORD_SQLITE_PATH"] = str(work / "concord.sqlite3")
    os.environ["CONCORD_STATIC_ROOT"] = str(work / "static")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.config.settings")
    sys.path.insert(0, str(REPO))

    import django
    from django.core.management import call_command

    django.setup()
    quiet = StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("seed_demo", stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)


def weigh(client: object, path: str) -> tuple[int, list[Resource], set[str]]:
    """The page's status, its resources (the HTML first) and the other hosts it refers to."""
    from django.test import Client

    assert isinstance(client, Client)
    response = client.get(path, headers={"accept-encoding": "br, gzip"})
    html = response.content
    resources = [measure(html, len(html), response.get("Content-Encoding", "identity"), path)]
    parser = References()
    parser.feed(html.decode("utf-8", "replace"))
    external = {host for url in parser.urls if (host := is_external(url))}
    queue = [urljoin(path, url) for url in parser.assets if url]
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen or is_external(url) or url.startswith("data:"):
            continue
        seen.add(url)
        asset = client.get(url, headers={"accept-encoding": "br, gzip"})
        served = b"".join(asset.streaming_content) if asset.streaming else asset.content  # type: ignore[attr-defined]
        encoding = asset.get("Content-Encoding", "identity")
        plain = client.get(url)
        body = b"".join(plain.streaming_content) if plain.streaming else plain.content  # type: ignore[attr-defined]
        if asset.status_code != 200:
            print(f"  ! {url} answered {asset.status_code}", file=sys.stderr)
        resources.append(measure(body, len(served), encoding, url))
        if url.split("?")[0].endswith(".css"):
            for reference in CSS_URL.findall(body.decode("utf-8", "replace")):
                if host := is_external(reference):
                    external.add(host)
                elif not reference.startswith(("data:", "#")):
                    queue.append(urljoin(url, reference))
    return response.status_code, resources, external


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def report(title: str, path: str, status: int, resources: list[Resource], external: set[str]) -> None:
    width = max(len(resource.url) for resource in resources) + 2
    print(f"\n{title} ({path}): HTTP {status}")
    print(f"  {'resource'.ljust(width)}{'raw KB':>9}{'gzip KB':>9}{'br KB':>9}{'served KB':>11}  encoding")
    for resource in resources:
        print(
            f"  {resource.url.ljust(width)}{kb(resource.raw):>9}{kb(resource.gzip):>9}{kb(resource.br):>9}"
            f"{kb(resource.served):>11}  {resource.encoding}"
        )
    html, assets = resources[0], resources[1:]
    first = html.served + sum(asset.served for asset in assets)
    first_proxied = html.br + sum(asset.served for asset in assets)
    print(f"  first load:  {kb(first)} KB as served ({kb(first_proxied)} KB with the HTML compressed)")
    print(f"  repeat load: {kb(html.served)} KB as served ({kb(html.br)} KB with the HTML compressed)")
    print(
        f"  external hosts referenced: {len(external)}{' ' + ', '.join(sorted(external)) if external else ''}"
    )


def main() -> int:
    prepare()
    from django.test import Client
    from django.urls import reverse

    from concord.accounts.models import User
    from concord.network.models import CooperationGroup

    user = User.objects.get(email=USER_EMAIL)
    group = CooperationGroup.objects.get(name_en=GROUP_NAME)
    client = Client(HTTP_HOST=HOST)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    print(f"Page weight, {datetime.date.today():%Y-%m-%d}, signed in as {USER_EMAIL}; 1 KB = 1,024 bytes.")
    failed = False
    for title, path in [
        ("Home page", reverse("home")),
        ("Group page", reverse("network:group-detail", args=[group.pk])),
    ]:
        status, resources, external = weigh(client, path)
        report(title, path, status, resources, external)
        failed = failed or status != 200 or bool(external)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
