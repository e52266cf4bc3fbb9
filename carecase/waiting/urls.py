"""Staff pages for waiting lists. Included at "" in the root URLconf, so the paths are written in full."""

from django.urls import path

from . import views, views_dashboard

E = "waiting/<int:entry_id>/"

urlpatterns = [
    path("people/<int:person_id>/waiting/", views.person_waiting, name="person-waiting"),
    path("people/<int:person_id>/waiting/suggestion/", views.suggestion_preview, name="waiting-suggestion"),
    path("waiting/duty/", views.duty_worktray, name="waiting-duty"),
    path(E, views.entry_detail, name="waiting-entry"),
    path(f"{E}keep-in-touch/", views.entry_keep_in_touch, name="waiting-keep-in-touch"),
    path(f"{E}priority/", views.entry_reprioritise, name="waiting-reprioritise"),
    path(f"{E}leave/", views.entry_leave, name="waiting-leave"),
    path("waiting/dashboard/", views_dashboard.dashboard, name="waiting-dashboard"),
    path("waiting/dashboard/export.csv", views_dashboard.dashboard_csv, name="waiting-dashboard-csv"),
]
