from django.apps import AppConfig


class SampleDomainConfig(AppConfig):
    name = "dangjian.site.tests.sample_domain"
    label = "sample_domain"
    verbose_name = "样例领域"
