from django.apps import AppConfig

KINDS = {
    "projects.rejected": "Your project post was not approved",
    "projects.project_submitted": "Your project post is waiting for approval",
    "projects.project_edited": "A project you bid on was edited",
    "projects.project_closed": "A project you bid on was closed",
    "projects.project_cancelled": "A project you bid on was cancelled",
    "projects.upgrade_paid": "Receipts for project upgrades",
    "projects.featured_ended": "Your project is no longer featured",
    "projects.assist_done": "Staff finished improving your post",
    "projects.fulfilment_invited": "You were invited to a Speedy, Contest or Booking",
    "projects.fulfilment_accepted": "An invited expert accepted a project",
    "projects.reward_pending": "A reward was credited as pending",
    "projects.extra_fee_requested": "An expert asked for a fee for extra work",
    "projects.extra_fee_decided": "Your fee request for extra work was decided",
}


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects and discovery"
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
