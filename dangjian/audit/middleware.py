from .context import audit_context, client_ip


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        with audit_context(source=source, label="匿名用户", request=request, ip=client_ip(request)):
            return self.get_response(request)
