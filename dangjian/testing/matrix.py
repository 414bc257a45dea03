"""The scope matrix world of the assembled product: the test zone plus every installed app's
matrix records (see dangjian.core.testing.scope_matrix)."""

from dangjian.core.testing.scope_matrix import MatrixWorld, rolled_back

from .factories import Zone, make_user


def rolled_back_world():
    """A MatrixWorld inside a transaction that is rolled back at the end:

    @pytest.fixture(scope="module")
    def shared_world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), rolled_back_world() as world:
            yield world
    """
    return rolled_back(lambda: MatrixWorld(Zone(), make_user))
