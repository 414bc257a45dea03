"""A domain that exists only in a test: one folder, added to INSTALLED_APPS by the test, that
brings a sidebar section, an API route, a figure, a warning, role permissions and a demo
loader of its own."""
