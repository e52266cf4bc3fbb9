from django.urls import include, path, re_path

from . import people, records, staff, waiting
from .errors import unknown_address

app_name = "api"
urlpatterns = [
    path("people/", people.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", people.PersonView.as_view(), name="person"),
    path("people/<int:pk>/access-reason/", people.AccessReasonView.as_view(), name="person-access-reason"),
    path("people/<int:pk>/relationships/", people.RelationshipsView.as_view(), name="person-relationships"),
    path("people/<int:pk>/contacts/", records.ContactsView.as_view(), name="person-contacts"),
    path("people/<int:pk>/case-notes/", records.CaseNotesView.as_view(), name="person-case-notes"),
    path("relationships/<int:pk>/end/", people.RelationshipEndView.as_view(), name="relationship-end"),
    path("contacts/<int:pk>/conclude/", records.ContactConcludeView.as_view(), name="contact-conclude"),
    path("case-notes/<int:pk>/", records.CaseNoteView.as_view(), name="case-note"),
    path("case-notes/<int:pk>/addenda/", records.AddendaView.as_view(), name="case-note-addenda"),
    path("teams/", staff.TeamsView.as_view(), name="teams"),
    path("teams/<int:pk>/", staff.TeamView.as_view(), name="team"),
    path("staff/", staff.StaffListView.as_view(), name="staff-list"),
    path("staff/<int:pk>/", staff.StaffMemberView.as_view(), name="staff-member"),
    path("waiting-list/summary/", waiting.WaitingSummaryView.as_view(), name="waiting-summary"),
    path("waiting-list/entries/", waiting.WaitingEntriesView.as_view(), name="waiting-entries"),
    path("rules/", include("assessments.api.urls")),
    path("direct-payments/", include("directpayments.api.urls")),
    path("safeguarding/", include("safeguarding.api.urls")),
]

# Anything else under /api/v1/ answers in JSON too, not with the staff pages' HTML "not found" page.
urlpatterns.append(re_path(r"^.*$", unknown_address))
