from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from carecase import health


@never_cache
@require_GET
def healthz(request):
    healthy, body = health.overall()
    return JsonResponse(body, status=200 if healthy else 503)
