from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from bookings.services import FEE_PURPOSE, on_fee_paid
        from escrow import purposes

        purposes.register(FEE_PURPOSE, on_paid=on_fee_paid)
