def sidebar_navigation(request):
    return []


def dashboard_callback(request, context):
    return context
