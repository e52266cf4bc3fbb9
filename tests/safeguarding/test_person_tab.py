"""The Safeguarding tab on a person's record (safeguarding/templatetags/safeguarding_tags.py): shown to staff
named on any concern about the person as well as to safeguarding staff and the allocated worker, decided with
at most one query; the person's safeguarding page lists only the concerns the user may open."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecase.audit.models import RestrictedAccessGrant
from carecase.staff.models import Role
from safeguarding import access, services
from tests.factories import StaffFactory

from .conftest import make_concern

pytestmark = pytest.mark.django_db

TAB = 'moj-sub-navigation__link" href="/people/{}/safeguarding/"'


@pytest.fixture
def colleague(team):
    """A practitioner in the adult's team (so they can open the record) who is not the allocated worker."""
    return StaffFactory(user__username="colleague", role=Role.PRACTITIONER, team=team)


def has_tab(client, person, page: str = "person-detail") -> bool:
    return TAB.format(person.id) in client.get(reverse(page, args=[person.id])).content.decode()


def test_staff_named_on_a_concern_get_the_tab_and_see_only_that_concern(client, adult, lead, colleague):
    named_on = make_concern(adult, lead, what_happened="Named concern")
    make_concern(adult, lead, what_happened="Other concern")
    client.force_login(colleague.user)
    assert not has_tab(client, adult)
    services.grant_add(concern=named_on, by=lead.user, user=colleague.user, reason="Works with the family")
    assert has_tab(client, adult)
    page = client.get(reverse("person-safeguarding", args=[adult.id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("safeguarding-concern", args=[named_on.id]) in body
    assert body.count("/safeguarding/concerns/") == 1
    assert "Raise a concern about" not in body  # named on a concern, not a member of the hub


def test_a_revoked_name_takes_the_tab_away(client, adult, lead, colleague):
    concern = make_concern(adult, lead)
    grant = services.grant_add(concern=concern, by=lead.user, user=colleague.user, reason="Covering")
    services.grant_revoke(grant=grant, by=lead.user)
    client.force_login(colleague.user)
    assert not has_tab(client, adult)
    assert client.get(reverse("person-safeguarding", args=[adult.id])).status_code == 403


def test_the_existing_rules_still_give_the_tab(client, adult, lead, hub_worker, practitioner):
    client.force_login(practitioner.user)  # the allocated worker
    assert has_tab(client, adult)
    for staff in (lead, hub_worker):  # the hub opens the record through its safeguarding page
        client.force_login(staff.user)
        assert has_tab(client, adult, "person-safeguarding"), staff.user.username


def test_a_restricted_record_needs_its_grant_even_for_the_hub(client, adult, lead, practitioner):
    adult.is_restricted = True
    adult.save(update_fields=["is_restricted"])
    assert not access.shows_person_tab(lead.user, adult, allocated=False)
    RestrictedAccessGrant.objects.create(person=adult, user=lead.user, granted_by=lead.user, reason="Hub lead")
    assert access.shows_person_tab(lead.user, adult, allocated=False)


def test_administrators_only_when_named(adult, lead, administrator):
    assert not access.shows_person_tab(administrator.user, adult, allocated=False)
    concern = make_concern(adult, lead)
    services.grant_add(concern=concern, by=lead.user, user=administrator.user, reason="Minute taker")
    assert access.shows_person_tab(administrator.user, adult, allocated=False)


def test_the_tab_decides_with_at_most_one_query(adult, lead, practitioner, colleague, django_assert_num_queries):
    fresh = type(adult).objects.get(pk=adult.pk)
    for staff in (practitioner, lead, colleague):
        access.staff_member(staff.user)  # the staff row is cached on the user, as on a page
    with django_assert_num_queries(0):
        assert access.shows_person_tab(practitioner.user, fresh, allocated=True)
        assert access.shows_person_tab(lead.user, fresh, allocated=False)
    with django_assert_num_queries(1):
        assert not access.shows_person_tab(colleague.user, fresh, allocated=False)


def test_the_person_page_makes_at_most_one_more_query(client, adult, lead, colleague, monkeypatch):
    concern = make_concern(adult, lead)
    services.grant_add(concern=concern, by=lead.user, user=colleague.user, reason="Works with the family")
    client.force_login(colleague.user)
    url = reverse("person-detail", args=[adult.id])
    client.get(url)  # warm anything cached once per process

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    with_tab = count()
    monkeypatch.setattr(access, "shows_person_tab", lambda *args, **kwargs: False)
    without = count()
    assert with_tab - without == 1
