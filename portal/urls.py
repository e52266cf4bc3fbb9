"""The self-review portal, under /my-review/. No URL names a person, a review or an account."""

from django.urls import path

from . import views, views_provider, views_staff

urlpatterns = [
    path("my-review/start/", views.start, name="portal-start-without-link"),
    path("my-review/start/<str:token>/", views.start, name="portal-start"),
    path("my-review/create-account/", views.create_account, name="portal-create-account"),
    path("my-review/sign-in/", views.sign_in, name="portal-sign-in"),
    path("my-review/sign-in/email-me-a-link/", views.sign_in_link_request, name="portal-sign-in-link-request"),
    path("my-review/sign-in/<str:token>/", views.sign_in_with_link, name="portal-sign-in-link"),
    path("my-review/sign-out/", views.sign_out, name="portal-sign-out"),
    path("my-review/", views.home, name="portal-home"),
    path("my-review/your-plan/", views.plan_summary, name="portal-plan"),
    path("my-review/questions/<slug:slug>/", views.question_page, name="portal-question"),
    path("my-review/check-your-answers/", views.check_answers, name="portal-check"),
    path("my-review/sent/", views.done, name="portal-done"),
    # Staff pages for self-reviews
    path("reviews/<int:review_id>/self-review/", views_staff.self_review_page, name="portal-staff-self-review"),
    path("reviews/<int:review_id>/self-review/invite/", views_staff.invite, name="portal-staff-invite"),
    path("reviews/<int:review_id>/self-review/accept/", views_staff.accept, name="portal-staff-accept"),
    path("reviews/<int:review_id>/self-review/to-worker/", views_staff.to_worker, name="portal-staff-to-worker"),
    path("duty-tasks/<int:task_id>/done/", views_staff.duty_task_done, name="portal-duty-task-done"),
    path("self-review-letters/", views_staff.letters_to_print, name="portal-letters"),
    # Provider-led reviews: the provider's single-use page, and the staff page
    path("provider-review/<str:token>/", views_provider.provider_page, name="portal-provider"),
    path("reviews/<int:review_id>/provider/", views_provider.staff_page, name="portal-staff-provider"),
    path("reviews/<int:review_id>/provider/send/", views_provider.staff_send, name="portal-staff-provider-send"),
    path("reviews/<int:review_id>/provider/sign-off/", views_provider.staff_sign_off,
         name="portal-staff-provider-sign-off"),
    path("reviews/<int:review_id>/provider/to-worker/", views_provider.staff_to_worker,
         name="portal-staff-provider-to-worker"),
]
