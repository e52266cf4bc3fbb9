"""Nothing about anyone else is reachable from the self-review portal: not by URL, not by API, not by
guessing an id; portal pages need a portal sign-in, staff pages and the API refuse a portal session, and
sign-in is rate limited. Every portal URL is covered by walking the URLconf, so a new page is tested too."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import URLPattern, reverse

from portal import services
from portal import urls as portal_urls
from portal.views import MAX_SESSION, SESSION_SIGNED_IN_AT
from reviews.models import Review
from tests.factories import AllocationFactory, PersonFactory
from tests.reviews.conftest import make_active_plan

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
PORTAL_PAGES = [p for p in portal_urls.urlpatterns
                if isinstance(p, URLPattern) and str(p.pattern).startswith("my-review/")]


def person_with_review(name, family, dob, practitioner, approver):
    person = PersonFactory(given_name=name, family_name=family, date_of_birth=dob, email="")
    AllocationFactory(person=person, team=practitioner.team, worker=practitioner)
    plan = make_active_plan(person, practitioner, approver)
    return person, Review.objects.get(plan=plan)


@pytest.fixture
def two(practitioner, team_leader):
    cache.clear()
    a = person_with_review("Asha", "Begum", dt.date(1950, 5, 1), practitioner, team_leader)
    b = person_with_review("Bernard", "Cole", dt.date(1939, 9, 9), practitioner, team_leader)
    return a, b


def sign_up(client, person, review, practitioner, email):
    new = services.invitation_create(review=review, by=practitioner.user, channel="letter")
    dob = person.date_of_birth
    response = client.post(reverse("portal-start", args=[new.token]), {
        "code": new.code, "date_of_birth_day": dob.day, "date_of_birth_month": dob.month,
        "date_of_birth_year": dob.year})
    assert response.status_code == 302 and response["Location"] == reverse("portal-create-account")
    response = client.post(reverse("portal-create-account"), {
        "for_someone_else": "no", "how": "password", "email": email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal-home")
    return new


def portal_paths(slug="your-plan"):
    paths = []
    for pattern in PORTAL_PAGES:
        names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        args = {"slug": slug, "token": "x" * 43}
        paths.append((pattern.name, reverse(pattern.name, kwargs={n: args[n] for n in names})))
    return paths


def test_every_portal_page_shows_only_the_signed_in_persons_own_details(client, two, practitioner):
    (asha, asha_review), (bernard, bernard_review) = two
    sign_up(client, asha, asha_review, practitioner, "asha@example.org")
    assert len(PORTAL_PAGES) >= 12
    for name, path in portal_paths():
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            body = response.content.decode()
            assert "Bernard" not in body and "Cole" not in body, (name, method)
            assert str(bernard_review.id) not in re.findall(r"/reviews/(\d+)/", body), (name, method)
        if name == "portal-sign-out":
            sign_up_again = services.sign_in(email="asha@example.org", password=PASSWORD)
            assert sign_up_again.person == asha
            client.post(reverse("portal-sign-in"), {"email": "asha@example.org", "password": PASSWORD})
    home = client.get(reverse("portal-home")).content.decode()
    assert "Asha Begum" in home


def test_portal_pages_need_a_portal_sign_in_even_for_staff(client, two, practitioner):
    client.force_login(practitioner.user)  # a staff session is not a portal session
    for name, path in portal_paths():
        if name in {"portal-home", "portal-plan", "portal-question", "portal-check", "portal-done"}:
            response = client.get(path)
            assert response.status_code == 302 and response["Location"] == reverse("portal-sign-in"), name


def test_a_portal_session_opens_no_staff_page_and_no_api(client, two, practitioner):
    (asha, asha_review), (bernard, bernard_review) = two
    sign_up(client, asha, asha_review, practitioner, "asha@example.org")
    for path in (reverse("home"), reverse("person-detail", args=[asha.id]), reverse("person-detail", args=[bernard.id]),
                 reverse("portal-staff-self-review", args=[asha_review.id]),
                 reverse("portal-staff-self-review", args=[bernard_review.id])):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), path
    for path in (f"/api/v1/people/{asha.id}/", f"/api/v1/people/{bernard.id}/", "/api/v1/waiting-list/entries/"):
        assert client.get(path).status_code in (401, 403), path


def test_another_persons_invitation_does_not_open_with_my_details(client, two, practitioner):
    (asha, asha_review), (bernard, bernard_review) = two
    mine = sign_up(client, asha, asha_review, practitioner, "asha@example.org")
    theirs = services.invitation_create(review=bernard_review, by=practitioner.user, channel="letter")
    response = client.post(reverse("portal-start", args=[theirs.token]), {
        "code": mine.code, "date_of_birth_day": 1, "date_of_birth_month": 5, "date_of_birth_year": 1950})
    assert "We could not match those details" in response.content.decode()
    assert "Bernard" not in response.content.decode()
    # Guessing tokens: an unknown token says only that the link does not work.
    response = client.get(reverse("portal-start", args=["guess" * 9]))
    assert response.status_code == 410 and "does not work any more" in response.content.decode()


def test_sessions_end_safely(client, two, practitioner):
    (asha, asha_review), _ = two
    sign_up(client, asha, asha_review, practitioner, "asha@example.org")
    assert client.get(reverse("portal-home")).status_code == 200
    session = client.session
    session[SESSION_SIGNED_IN_AT] = (dt.datetime.now(dt.UTC) - MAX_SESSION - dt.timedelta(minutes=1)).isoformat()
    session.save()
    assert client.get(reverse("portal-home"))["Location"] == reverse("portal-sign-in")
    client.post(reverse("portal-sign-in"), {"email": "asha@example.org", "password": PASSWORD})
    assert client.get(reverse("portal-home")).status_code == 200
    client.post(reverse("portal-sign-out"))
    assert client.get(reverse("portal-home"))["Location"] == reverse("portal-sign-in")
    assert client.get(reverse("portal-home"))["Cache-Control"].startswith("max-age=0")


def test_sign_in_is_rate_limited_by_address(client, two, practitioner, settings):
    cache.clear()
    for _ in range(30):
        client.post(reverse("portal-sign-in"), {"email": "x@example.org", "password": "wrong password"})
    response = client.post(reverse("portal-sign-in"), {"email": "x@example.org", "password": "wrong password"})
    assert response.status_code == 429 and "Too many tries" in response.content.decode()
    cache.clear()
