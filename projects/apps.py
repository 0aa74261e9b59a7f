from django.apps import AppConfig
from django.utils.translation import gettext_lazy

KINDS = {
    "projects.rejected": gettext_lazy("Your project post was not approved"),
    "projects.project_submitted": gettext_lazy("Your project post is waiting for approval"),
    "projects.project_edited": gettext_lazy("A project you bid on was edited"),
    "projects.project_closed": gettext_lazy("A project you bid on was closed"),
    "projects.project_cancelled": gettext_lazy("A project you bid on was cancelled"),
    "projects.upgrade_paid": gettext_lazy("Receipts for project upgrades"),
    "projects.featured_ended": gettext_lazy("Your project is no longer featured"),
    "projects.assist_done": gettext_lazy("Staff finished improving your post"),
    "projects.fulfilment_invited": gettext_lazy("You were invited to a Speedy, Contest or Booking"),
    "projects.fulfilment_accepted": gettext_lazy("An invited expert accepted a project"),
    "projects.reward_pending": gettext_lazy("A reward was credited as pending"),
    "projects.extra_fee_requested": gettext_lazy("An expert asked for a fee for extra work"),
    "projects.extra_fee_decided": gettext_lazy("Your fee request for extra work was decided"),
}


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = gettext_lazy("Projects and discovery")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from projects import services

        services.register_purposes()
        try:
            from notifications.kinds import register_kind
        except ImportError:
            return
        for kind, label in KINDS.items():
            register_kind(kind, label)
