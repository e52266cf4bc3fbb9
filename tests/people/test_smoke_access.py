import pytest

from carecase.audit.access import Level, access_for
from carecase.audit.models import RecordAccessEvent
from carecase.people.selectors import SearchQuery, search_people


@pytest.mark.django_db
def test_team_member_has_full_access_and_search_logs(person, practitioner, other_practitioner):
    assert access_for(practitioner.user, person).level == Level.FULL
    assert access_for(other_practitioner.user, person).level == Level.LIMITED
    rows = search_people(user=other_practitioner.user, query=SearchQuery(name="patle mohan"))
    assert [r.id for r in rows] == [person.id]
    assert RecordAccessEvent.objects.filter(person=person, user=other_practitioner.user, action="search").count() == 1
