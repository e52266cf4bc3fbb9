from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_staff
from .forms_auth import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm,
                                                         redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views_staff.PasswordChangeView.as_view(), name="password-change"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("staff/", views_staff.staff_directory, name="staff-directory"),
    path("staff/new/", views_staff.staff_add, name="staff-add"),
    path("staff/<int:staff_id>/", views_staff.staff_edit, name="staff-edit"),
    path("search/", views.search, name="search"),
    path("teams/", views.teams, name="teams"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:person_id>/", views.person_detail, name="person-detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:person_id>/reason/", views.person_reason, name="person-reason"),
    path("people/<int:person_id>/case-notes/", views.person_case_notes, name="person-case-notes"),
    path("people/<int:person_id>/case-notes/<int:note_id>/edit/", views.case_note_edit, name="case-note-edit"),
    path("people/<int:person_id>/case-notes/<int:note_id>/addendum/", views.case_note_addendum,
         name="case-note-addendum"),
    path("people/<int:person_id>/contacts/", views.person_contacts, name="person-contacts"),
    path("people/<int:person_id>/contacts/new/", views.contact_create, name="contact-create"),
    path("people/<int:person_id>/contacts/<int:contact_id>/outcome/", views.contact_outcome, name="contact-outcome"),
    path("people/<int:person_id>/relationships/", views.person_relationships, name="person-relationships"),
    path("people/<int:person_id>/relationships/<int:relationship_id>/end/", views.relationship_end,
         name="relationship-end"),
    path("people/<int:person_id>/allocation/", views.person_allocation, name="person-allocation"),
    path("people/<int:person_id>/history/", views.person_history, name="person-history"),
    path("people/<int:person_id>/restriction/", views.person_restriction, name="person-restriction"),
    path("people/<int:person_id>/access-log/", views.person_access_log, name="person-access-log"),
]
