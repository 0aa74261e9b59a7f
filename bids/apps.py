from django.apps import AppConfig
from django.utils.translation import gettext_lazy

KINDS = {
    "bids.updated": gettext_lazy("A bid on your project was updated"),
    "bids.award_declined": gettext_lazy("An expert declined your award"),
    "bids.project_awarded": gettext_lazy("A project you bid on was awarded to someone else"),
    "bids.milestones_changed": gettext_lazy("The expert changed the contract's milestones"),
    "bids.negotiation": gettext_lazy("A negotiation request on a managed project"),
    "bids.offer_revised": gettext_lazy("Staff revised an offer"),
}


class BidsConfig(AppConfig):
    name = "bids"
    verbose_name = gettext_lazy("Bids, awards and contracts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from notifications.kinds import register_kind

        for kind, label in KINDS.items():
            register_kind(kind, label)
