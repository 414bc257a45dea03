from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "dangjian.ratings"
    label = "ratings"
    verbose_name = "评星晋级"
