"""The Content-Security-Policy of every answer (django-csp; the policy is CONTENT_SECURITY_POLICY in
config/settings.py): scripts only from the site itself or inline with the answer's nonce, nothing
inline otherwise, no plugins, no framing, forms only to the site.

Two kinds of pages need more, and get it on their paths only (README, 内容安全策略):

- the back office (/admin/): its theme (django-unfold 0.91) runs on the standard build of Alpine.js,
  which evaluates its attribute expressions with the Function constructor ('unsafe-eval'), and puts
  style attributes and a <style> block of the theme's colours in its pages ('unsafe-inline' styles);
- the API documentation (/api/v1/docs/, /api/v1/redoc/): Swagger UI and ReDoc write their styles
  into the page ('unsafe-inline' styles) and ReDoc searches in a worker made from a blob: address.

Everywhere else (the phone pages, the portal, the sign-in and second-factor pages outside the back
office, error pages, the API) the base policy holds as it is."""

from csp.constants import SELF, UNSAFE_EVAL, UNSAFE_INLINE
from csp.middleware import CSPMiddleware

BACK_OFFICE = "/admin/"
API_DOCS = ("/api/v1/docs/", "/api/v1/redoc/")

# what each kind of page adds to the base policy
BACK_OFFICE_EXTRA = {"script-src": [UNSAFE_EVAL], "style-src": [UNSAFE_INLINE]}
API_DOCS_EXTRA = {"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}


def extra_for(path: str) -> dict | None:
    if path.startswith(BACK_OFFICE):
        return BACK_OFFICE_EXTRA
    if path.startswith(API_DOCS):
        return API_DOCS_EXTRA
    return None


class PathCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the additions of the back office and the API documentation
    on their paths (a view's own csp_update still comes on top)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        extra = extra_for(request.path_info)
        if extra and not report_only:
            update = {key: list(value) for key, value in extra.items()}
            for key, value in (parts.update or {}).items():
                update.setdefault(key, [])
                update[key] += list(value) if isinstance(value, list | tuple) else [value]
            parts.update = update
        return parts
