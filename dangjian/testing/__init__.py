"""Test support for the assembled product (above every app): factories that make records
through the services, the small test zone, and the scope matrix world built from what each
app contributes in its tests/matrix.py. Generic machinery (codes, ledger round trips, browser,
the matrix's table and checks) is core's (dangjian.core.testing)."""
