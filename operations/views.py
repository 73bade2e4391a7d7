from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .health import run_checks


@csrf_exempt
@never_cache
@require_safe
def healthz(request):
    """For monitoring, without login: 200 when every check is ok, 503 naming the failing
    ones otherwise."""
    checks = run_checks()
    failing = [name for name, check in checks.items() if not check.ok]
    body = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "checks": {name: check.as_json() for name, check in checks.items()},
    }
    return JsonResponse(
        body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False}
    )
