"""Staff pages for reviews. Included at "" in the root URLconf, so the paths are written in full."""

from django.urls import path

from . import views

R = "reviews/<int:review_id>/"

urlpatterns = [
    path("people/<int:person_id>/reviews/", views.person_reviews, name="person-reviews"),
    path("reviews/overdue/", views.overdue, name="reviews-overdue"),
    path(R, views.review_detail, name="review-detail"),
    path(f"{R}route/", views.review_route, name="review-route"),
    path(f"{R}route/suggestion/", views.review_route_suggestion, name="review-route-suggestion"),
    path(f"{R}record/", views.review_record, name="review-record"),
]
