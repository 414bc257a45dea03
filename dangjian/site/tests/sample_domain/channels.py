"""A delivery channel of notifications (as SMS or WeChat would be): one registration."""

from dangjian.notifications.registry import channel

delivered = []


@channel("sample_sms", "样例短信", order=50)
def sample_sms(notification):
    delivered.append(notification.title)
