from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = gettext_lazy("Messages")
    default_auto_field = "django.db.models.BigAutoField"
