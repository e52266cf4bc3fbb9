"""The safeguarding API, included at /api/v1/safeguarding/ (names under "api:")."""

from django.urls import path

from . import views

urlpatterns = [
    path("concerns/", views.ConcernsView.as_view(), name="safeguarding-concerns"),
    path("concerns/<int:pk>/", views.ConcernView.as_view(), name="safeguarding-concern"),
    path("concerns/<int:pk>/decision/", views.DecisionView.as_view(), name="safeguarding-decision"),
    path("enquiries/<int:pk>/", views.EnquiryView.as_view(), name="safeguarding-enquiry"),
    path("sac/", views.SacView.as_view(), name="safeguarding-sac"),
]
