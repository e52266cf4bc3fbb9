"""Who may see safeguarding records, for every safeguarding page and API endpoint: the safeguarding lead and
hub staff, the allocated worker and staff named on the concern get in; a practitioner of another team, an
administrator and a direct payments officer do not, and their attempt is logged; a concern restricted further
shuts out even the allocated worker unless they are named."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from carecase.audit.models import AccessAction, RecordAccessEvent
from safeguarding import services
from safeguarding.models import SafeguardingGrant

from .conftest import decide, make_concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(adult, lead, hub_worker, practitioner, other_practitioner, administrator, dp_officer):
    awaiting = make_concern(adult, lead)
    with_enquiry = make_concern(adult, lead)
    decide(with_enquiry, lead)
    with_enquiry.refresh_from_db()
    incident = services.incident_create(by=lead.user, provider_name="Oak House", person=adult,
                                        occurred_on=timezone.localdate(), description="Missed dose",
                                        harm_caused=False)
    org = services.organisational_enquiry_create(by=lead.user, provider_name="Oak House", summary="Falls",
                                                 opened_on=timezone.localdate(), lead=lead)
    return {"adult": adult, "awaiting": awaiting, "concern": with_enquiry, "enquiry": with_enquiry.enquiry,
            "incident": incident, "org": org, "lead": lead, "hub_worker": hub_worker, "allocated": practitioner,
            "other": other_practitioner, "administrator": administrator, "dp_officer": dp_officer}


# Pages about one concern (or the person's safeguarding): (name, how to build the address)
CONCERN_PAGES = [
    ("concern", lambda w: reverse("safeguarding-concern", args=[w["concern"].id])),
    ("decision", lambda w: reverse("safeguarding-decision", args=[w["awaiting"].id])),
    ("enquiry", lambda w: reverse("safeguarding-enquiry", args=[w["enquiry"].id])),
    ("strategy", lambda w: reverse("safeguarding-strategy", args=[w["enquiry"].id])),
    ("plan", lambda w: reverse("safeguarding-plan", args=[w["enquiry"].id])),
    ("close", lambda w: reverse("safeguarding-close", args=[w["enquiry"].id])),
    ("person", lambda w: reverse("person-safeguarding", args=[w["adult"].id])),
    ("raise", lambda w: reverse("safeguarding-raise", args=[w["adult"].id])),
]
# The hub's own pages: safeguarding staff only.
HUB_PAGES = [
    ("hub", lambda w: reverse("safeguarding-hub")),
    ("raise start", lambda w: reverse("safeguarding-raise-start")),
    ("incidents", lambda w: reverse("safeguarding-incidents")),
    ("incident", lambda w: reverse("safeguarding-incident", args=[w["incident"].id])),
    ("organisational list", lambda w: reverse("safeguarding-organisational-list")),
    ("organisational", lambda w: reverse("safeguarding-organisational", args=[w["org"].id])),
    ("dashboard", lambda w: reverse("safeguarding-dashboard")),
    ("return", lambda w: reverse("safeguarding-return")),
    ("return csv", lambda w: reverse("safeguarding-return") + "?format=csv"),
]
API_CONCERN = [
    ("api concern", lambda w: reverse("api:safeguarding-concern", args=[w["concern"].id])),
    ("api decision", lambda w: reverse("api:safeguarding-decision", args=[w["concern"].id])),
    ("api enquiry", lambda w: reverse("api:safeguarding-enquiry", args=[w["enquiry"].id])),
]
OUTSIDERS = ("other", "administrator", "dp_officer")


def denied_events(world, who) -> int:
    return RecordAccessEvent.objects.filter(user=world[who].user, person=world["adult"], resource="safeguarding",
                                            action=AccessAction.DENIED).count()


def get(client, world, who, url):
    client.force_login(world[who].user)
    return client.get(url)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("page", "url"), CONCERN_PAGES, ids=[p for p, _ in CONCERN_PAGES])
def test_outsiders_are_refused_every_concern_page_and_the_attempt_is_logged(client, world, who, page, url):
    response = get(client, world, who, url(world))
    assert response.status_code == 403, page
    assert denied_events(world, who) == 1, page
    assert world["adult"].display_name not in response.content.decode()


@pytest.mark.parametrize("who", ("lead", "hub_worker", "allocated"))
@pytest.mark.parametrize(("page", "url"), CONCERN_PAGES, ids=[p for p, _ in CONCERN_PAGES])
def test_safeguarding_staff_and_the_allocated_worker_get_in_and_the_read_is_logged(client, world, who, page, url):
    response = get(client, world, who, url(world))
    assert response.status_code == 200, page
    assert RecordAccessEvent.objects.filter(user=world[who].user, person=world["adult"], resource="safeguarding",
                                            action=AccessAction.VIEW).exists()


@pytest.mark.parametrize(("page", "url"), [p for p in CONCERN_PAGES if p[0] != "raise"],
                         ids=[p for p, _ in CONCERN_PAGES if p != "raise"])
def test_staff_named_on_the_concern_get_in(client, world, page, url):
    for concern in (world["concern"], world["awaiting"]):
        services.grant_add(concern=concern, by=world["lead"].user, user=world["other"].user, reason="Police liaison")
    assert get(client, world, "other", url(world)).status_code == 200, page


@pytest.mark.parametrize(("page", "url"), CONCERN_PAGES[:6], ids=[p for p, _ in CONCERN_PAGES[:6]])
def test_a_restricted_concern_shuts_out_even_the_allocated_worker_unless_named(client, world, page, url):
    for concern in (world["concern"], world["awaiting"]):
        services.concern_restrict(concern=concern, by=world["lead"].user, restricted=True)
    assert get(client, world, "allocated", url(world)).status_code == 403
    assert get(client, world, "hub_worker", url(world)).status_code == 403
    assert denied_events(world, "allocated") == 1
    for concern in (world["concern"], world["awaiting"]):
        services.grant_add(concern=concern, by=world["lead"].user, user=world["allocated"].user, reason="Allocated")
    assert get(client, world, "allocated", url(world)).status_code == 200
    assert get(client, world, "lead", url(world)).status_code == 200  # named when they restricted it


def test_a_restricted_concern_is_not_listed_for_the_allocated_worker(client, world):
    services.concern_restrict(concern=world["concern"], by=world["lead"].user, restricted=True)
    response = get(client, world, "allocated", reverse("person-safeguarding", args=[world["adult"].id]))
    assert response.status_code == 200
    assert reverse("safeguarding-concern", args=[world["concern"].id]) not in response.content.decode()
    assert reverse("safeguarding-concern", args=[world["awaiting"].id]) in response.content.decode()


def test_a_restricted_person_record_is_not_opened_by_the_safeguarding_role(client, world):
    world["adult"].is_restricted = True
    world["adult"].save()
    assert get(client, world, "hub_worker", reverse("safeguarding-concern", args=[world["concern"].id])).status_code == 403
    hub = get(client, world, "hub_worker", reverse("safeguarding-hub")).content.decode()
    assert world["adult"].display_name not in hub


@pytest.mark.parametrize("who", (*OUTSIDERS, "allocated"))
@pytest.mark.parametrize(("page", "url"), HUB_PAGES, ids=[p for p, _ in HUB_PAGES])
def test_the_hubs_pages_are_for_safeguarding_staff_only(client, world, who, page, url):
    assert get(client, world, who, url(world)).status_code == 403, page


@pytest.mark.parametrize("who", ("lead", "hub_worker"))
@pytest.mark.parametrize(("page", "url"), HUB_PAGES, ids=[p for p, _ in HUB_PAGES])
def test_safeguarding_staff_open_the_hubs_pages(client, world, who, page, url):
    assert get(client, world, who, url(world)).status_code == 200, page


def test_only_a_lead_names_staff_or_restricts(client, world):
    url = reverse("safeguarding-concern-access", args=[world["concern"].id])
    client.force_login(world["hub_worker"].user)
    assert client.post(url, {"action": "restrict"}).status_code == 403
    client.force_login(world["lead"].user)
    response = client.post(url, {"action": "grant", "user": world["other"].user_id, "reason": "Police liaison"})
    assert response.status_code == 302
    assert SafeguardingGrant.objects.filter(concern=world["concern"], user=world["other"].user).exists()
    response = client.post(url, {"action": "grant", "user": "", "reason": ""})
    assert response.status_code == 400
    assert "Choose a member of staff" in response.content.decode()


# ---------------------------------------------------------------- the API


def api(world, who) -> APIClient:
    c = APIClient()
    c.force_authenticate(world[who].user)
    return c


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("name", "url"), API_CONCERN, ids=[n for n, _ in API_CONCERN])
def test_api_refuses_outsiders_and_logs_the_attempt(world, who, name, url):
    response = api(world, who).get(url(world))
    assert response.status_code == 403, name
    assert denied_events(world, who) == 1
    assert world["adult"].display_name not in response.content.decode()


@pytest.mark.parametrize("who", ("lead", "allocated"))
@pytest.mark.parametrize(("name", "url"), API_CONCERN, ids=[n for n, _ in API_CONCERN])
def test_api_lets_in_safeguarding_staff_and_the_allocated_worker(world, who, name, url):
    response = api(world, who).get(url(world))
    assert response.status_code == 200, name
    assert RecordAccessEvent.objects.filter(user=world[who].user, person=world["adult"], resource="safeguarding",
                                            action=AccessAction.API).exists()


def test_api_named_staff_get_in_and_a_restricted_concern_shuts_out_the_allocated_worker(world):
    url = reverse("api:safeguarding-concern", args=[world["concern"].id])
    services.grant_add(concern=world["concern"], by=world["lead"].user, user=world["other"].user, reason="Police")
    assert api(world, "other").get(url).status_code == 200
    services.concern_restrict(concern=world["concern"], by=world["lead"].user, restricted=True)
    assert api(world, "allocated").get(url).status_code == 403
    assert api(world, "other").get(url).status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_api_lists_nothing_to_outsiders(world, who):
    response = api(world, who).get(reverse("api:safeguarding-concerns"))
    assert response.status_code == 200 and response.json()["count"] == 0


def test_api_list_is_scoped_and_logged(world):
    services.concern_restrict(concern=world["concern"], by=world["lead"].user, restricted=True)
    response = api(world, "allocated").get(reverse("api:safeguarding-concerns"))
    assert [row["id"] for row in response.json()["results"]] == [world["awaiting"].id]
    assert RecordAccessEvent.objects.filter(user=world["allocated"].user, action=AccessAction.API,
                                            resource="safeguarding").count() == 1
    assert api(world, "lead").get(reverse("api:safeguarding-concerns")).json()["count"] == 2


@pytest.mark.parametrize("who", (*OUTSIDERS, "allocated"))
def test_api_sac_figures_are_for_safeguarding_staff(world, who):
    assert api(world, who).get(reverse("api:safeguarding-sac")).status_code == 403
    assert api(world, "lead").get(reverse("api:safeguarding-sac")).status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_api_outsiders_cannot_raise_or_decide(world, who):
    response = api(world, who).post(reverse("api:safeguarding-concerns"), {"person": world["adult"].id},
                                    format="json")
    assert response.status_code in (400, 403)
    response = api(world, who).post(reverse("api:safeguarding-decision", args=[world["awaiting"].id]), {},
                                    format="json")
    assert response.status_code == 403
