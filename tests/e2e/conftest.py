"""Browser tests: Playwright driving Debian's Chromium against the live test server, with axe checks."""

from __future__ import annotations

import os
import re

import pytest

from carecase.staff.models import Role
from tests.factories import AllocationFactory, CaseNoteFactory, PersonFactory, StaffFactory, TeamFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are not async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: run `make browser` (make test does it)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    p = context.new_page()
    p.set_default_timeout(10_000)
    yield p
    context.close()


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes) {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"]]


def assert_accessible(page) -> None:
    shots = os.environ.get("CARECASE_SCREENSHOTS")
    if shots:  # a picture of each checked page, to look at as a person would
        os.makedirs(shots, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", page.url.split("//", 1)[-1].split("/", 1)[-1].lower()).strip("-") or "home"
        page.screenshot(path=os.path.join(shots, f"{name[:80]}.png"), full_page=True)
    violations = axe_violations(page)
    assert violations == [], f"axe found problems on {page.url}:\n" + "\n".join(violations)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def world(transactional_db):
    """A small council: two teams, a practitioner and team leader, and people with notes."""
    east = TeamFactory(name="City East Locality Team")
    west = TeamFactory(name="City West Locality Team")
    worker = StaffFactory(user__username="asha", user__first_name="Asha", user__last_name="Mistry",
                          role=Role.PRACTITIONER, team=east)
    leader = StaffFactory(user__username="leader", user__first_name="Tom", user__last_name="Barker",
                          role=Role.TEAM_LEADER, team=east)
    StaffFactory(user__username="westworker", user__first_name="Ben", user__last_name="Hall",
                 role=Role.PRACTITIONER, team=west)
    mohan = PersonFactory(given_name="Mohan", family_name="Patel", postcode="LE5 3PH")
    AllocationFactory(person=mohan, team=east, worker=worker)
    CaseNoteFactory(person=mohan, author=worker.user, summary="First visit", is_significant=True)
    elsewhere = PersonFactory(given_name="Margaret", family_name="Smith", postcode="LE3 0AA")
    AllocationFactory(person=elsewhere, team=west)
    return {"worker": worker, "leader": leader, "mohan": mohan, "elsewhere": elsewhere, "east": east, "west": west}
