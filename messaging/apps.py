from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messages"
    default_auto_field = "django.db.models.BigAutoField"
