from django.apps import AppConfig

KINDS = {
    "reviews.requested": "Time to leave a review",
    "reviews.reminder": "A reminder to leave a review",
    "reviews.received": "You received a review",
    "reviews.published": "Reviews of your contract are published",
    "reviews.replied": "A reply to your review",
}


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and reputation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from notifications.kinds import register_kind

        for kind, label in KINDS.items():
            register_kind(kind, label)
