from . import development, dues, roster  # noqa: F401  (registers the admin pages)
