from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = gettext_lazy("Referral leads")
