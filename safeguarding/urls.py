"""Staff pages for safeguarding. Included at "" in the root URLconf, so the paths are written in full."""

from django.urls import path

from . import views

C = "safeguarding/concerns/<int:concern_id>/"
E = "safeguarding/enquiries/<int:enquiry_id>/"

urlpatterns = [
    path("safeguarding/", views.hub, name="safeguarding-hub"),
    path("safeguarding/concerns/new/", views.raise_start, name="safeguarding-raise-start"),
    path("people/<int:person_id>/safeguarding/", views.person_safeguarding, name="person-safeguarding"),
    path("people/<int:person_id>/safeguarding/new/", views.raise_concern, name="safeguarding-raise"),
    path(C, views.concern_detail, name="safeguarding-concern"),
    path(f"{C}access/", views.concern_access, name="safeguarding-concern-access"),
    path(f"{C}protection/", views.concern_protection, name="safeguarding-protection"),
    path(f"{C}decision/", views.decision, name="safeguarding-decision"),
    path(E, views.enquiry_detail, name="safeguarding-enquiry"),
    path(f"{E}strategy/", views.strategy, name="safeguarding-strategy"),
    path(f"{E}plan/", views.plan, name="safeguarding-plan"),
    path(f"{E}close/", views.close, name="safeguarding-close"),
    path(f"{E}feedback/", views.feedback, name="safeguarding-feedback"),
    path("safeguarding/organisational/", views.organisational_list, name="safeguarding-organisational-list"),
    path("safeguarding/organisational/<int:pk>/", views.organisational_detail, name="safeguarding-organisational"),
    path("safeguarding/incidents/", views.incidents, name="safeguarding-incidents"),
    path("safeguarding/incidents/<int:pk>/", views.incident_triage, name="safeguarding-incident"),
    path("safeguarding/dashboard/", views.dashboard, name="safeguarding-dashboard"),
    path("safeguarding/return/", views.sac_return, name="safeguarding-return"),
]
