"""Browser tests: Debian's chromium driven by Playwright against Django's live server.

Playwright's own browser download does not work on our machines; `make test` installs Debian's chromium
and these fixtures point Playwright at it. Screenshots go to test-results/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make there are
# ordinary synchronous calls, so Django's async-safety guard must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

OUTPUT = Path(os.environ.get("CONCORD_TEST_OUTPUT", "test-results"))
SCREENSHOTS = OUTPUT / "screenshots"

# Without the background-networking flags Chromium tries to reach Google's hosts at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser_tests" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


class RecordingPage:
    """A Playwright page that remembers every URL it requested, to prove nothing left the server."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requested: list[str] = []
        page.on("request", lambda request: self.requested.append(request.url))

    def external_requests(self) -> list[str]:
        ours = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requested
            if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).netloc != ours
        ]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def open_browser(browser: Browser, live_server) -> Iterator[Callable[[], RecordingPage]]:  # type: ignore[no-untyped-def]
    """Opens a fresh browser profile (its own cookies) per call: one per person in a test."""
    contexts = []

    def open_one() -> RecordingPage:
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return RecordingPage(page, live_server.url)

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture
def recording_page(open_browser: Callable[[], RecordingPage]) -> RecordingPage:
    return open_browser()


def current_totp_code(secret: str) -> str:
    """The code an authenticator app would show now (the middle of allauth's tolerance window).

    Near the end of a period the code could expire between typing and checking, as it can for a person;
    a person would wait for the next code, and so does this."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.5)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in(page: Page, *, email: str, password: str, totp_secret: str | None) -> None:
    """Sign in through the real forms, answering the two-factor step when it is asked."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if page.locator("input[name=code]").count():
        assert totp_secret, f"{email} was asked for a two-factor code but has no authenticator"
        page.fill("input[name=code]", current_totp_code(totp_secret))
        with page.expect_navigation():
            page.keyboard.press("Enter")
