from dangjian.notifications.registry import reminder


@reminder
def sample_due(today):
    return []
