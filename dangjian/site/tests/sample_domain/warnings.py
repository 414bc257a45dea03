from dangjian.organizations.warnings import warning_group, warning_provider

warning_group("sample", "样例预警", order=99, module=__name__)


@warning_provider("sample")
def sample_warnings(organizations, today):
    return []
