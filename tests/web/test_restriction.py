"""Restricting a record, naming who may open it, and lifting the restriction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carecase.audit.models import RestrictedAccessGrant
from carecase.people.models import Person


@pytest.mark.django_db
def test_team_leader_restricts_and_names_stay(client, person, practitioner, team_leader, other_practitioner):
    url = reverse("person-restriction", args=[person.id])
    client.force_login(practitioner.user)
    assert client.get(url).status_code == 403  # a practitioner cannot restrict

    client.force_login(team_leader.user)
    empty = client.post(url, {"action": "restrict", "reason": ""})
    assert "Say why the record must be restricted" in empty.content.decode()
    assert not Person.objects.get(pk=person.pk).is_restricted

    done = client.post(url, {"action": "restrict", "reason": "The person's nephew works in the council"})
    assert done.status_code == 302
    assert Person.objects.get(pk=person.pk).is_restricted
    named = set(RestrictedAccessGrant.objects.filter(person=person, revoked_at__isnull=True)
                .values_list("user__username", flat=True))
    assert named == {"team_leader", "practitioner"}

    client.force_login(practitioner.user)  # the allocated worker keeps access
    assert client.get(reverse("person-detail", args=[person.id])).status_code == 200

    client.force_login(team_leader.user)
    unknown = client.post(url, {"action": "grant", "username": "nobody", "reason": "Covering"})
    assert "no active member of staff with that username" in unknown.content.decode()
    client.post(url, {"action": "grant", "username": "other_practitioner", "reason": "Covering while on leave"})
    client.force_login(other_practitioner.user)
    assert client.get(reverse("person-detail", args=[person.id])).status_code == 200

    grant = RestrictedAccessGrant.objects.get(person=person, user=other_practitioner.user)
    client.force_login(team_leader.user)
    client.post(url, {"action": "revoke", "grant": grant.id})
    client.force_login(other_practitioner.user)
    assert client.get(reverse("person-detail", args=[person.id])).status_code == 403

    client.force_login(team_leader.user)
    client.post(url, {"action": "lift"})
    assert not Person.objects.get(pk=person.pk).is_restricted
