from django.apps import AppConfig

KINDS = {
    "bids.updated": "A bid on your project was updated",
    "bids.award_declined": "An expert declined your award",
    "bids.project_awarded": "A project you bid on was awarded to someone else",
    "bids.milestones_changed": "The expert changed the contract's milestones",
    "bids.negotiation": "A negotiation request on a managed project",
    "bids.offer_revised": "Staff revised an offer",
}


class BidsConfig(AppConfig):
    name = "bids"
    verbose_name = "Bids, awards and contracts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from notifications.kinds import register_kind

        for kind, label in KINDS.items():
            register_kind(kind, label)
