import os
import shutil

import pytest

from tests.conftest import service_missing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright; skipped (or failed in CI) when it is not installed.

    Function-scoped, and asked for after the database fixtures: while Playwright's event loop runs in this
    thread, pytest-django cannot restore the migrated pages of a serialized_rollback test."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        service_missing("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous.
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
            # The test's ORM calls ran in Playwright's context, on database connections of that context's
            # own: close them here, or PostgreSQL's test database stays in use and cannot be dropped.
            from django.db import connections

            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site_server():
    """The site on a free loopback port, in a thread of this process, for one test.

    Not pytest-django's live_server: that one asks for a plain transactional database before the test's own
    marker is read, so a test marked serialized_rollback would lose the migrated pages for the next one."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
