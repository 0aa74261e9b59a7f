from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EscrowConfig(AppConfig):
    name = "escrow"
    verbose_name = gettext_lazy("Money and payment protection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from escrow import purposes, selectors

        purposes.register_describer("heldfunds", selectors.describe_held_funds)
        try:
            from notifications.kinds import register_kind
        except ImportError:  # notifications not installed
            return
        register_kind(
            "escrow.refund_outside_guildhall", gettext_lazy("A card was refunded outside Guildhall")
        )
        register_kind("escrow.payout_requested", gettext_lazy("A withdrawal was requested"))
