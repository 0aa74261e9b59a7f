from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"
    verbose_name = gettext_lazy("Bookings")

    def ready(self) -> None:
        from bookings.services import FEE_PURPOSE, on_fee_paid
        from escrow import purposes

        purposes.register(FEE_PURPOSE, on_paid=on_fee_paid)
