from rest_framework.permissions import DjangoModelPermissions
from rest_framework.views import exception_handler as drf_exception_handler


class ScopedModelPermissions(DjangoModelPermissions):
    pass


def exception_handler(exc, context):
    return drf_exception_handler(exc, context)
