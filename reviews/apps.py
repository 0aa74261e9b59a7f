from django.apps import AppConfig
from django.utils.translation import gettext_lazy

KINDS = {
    "reviews.requested": gettext_lazy("Time to leave a review"),
    "reviews.reminder": gettext_lazy("A reminder to leave a review"),
    "reviews.received": gettext_lazy("You received a review"),
    "reviews.published": gettext_lazy("Reviews of your contract are published"),
    "reviews.replied": gettext_lazy("A reply to your review"),
}


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = gettext_lazy("Reviews and reputation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from notifications.kinds import register_kind

        for kind, label in KINDS.items():
            register_kind(kind, label)
