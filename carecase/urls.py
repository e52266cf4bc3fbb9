from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from carecase.web import views_health

urlpatterns = [
    path("healthz", views_health.healthz, name="healthz"),
    path("api/v1/", include("carecase.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("portal.urls")),
    path("", include("assessments.urls")),
    path("", include("carecase.waiting.urls")),
    path("", include("reviews.urls")),
    path("", include("directpayments.urls")),
    path("", include("safeguarding.urls")),
    path("", include("carecase.web.urls")),
]

handler403 = "carecase.web.views_errors.forbidden"
handler404 = "carecase.web.views_errors.not_found"
handler500 = "carecase.web.views_errors.server_error"
