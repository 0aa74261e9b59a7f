from django.apps import AppConfig
from django.utils.translation import gettext_lazy

KINDS = {
    "workspaces.start_requested": gettext_lazy("An expert asked to start a milestone"),
    "workspaces.milestone_started": gettext_lazy("A milestone was started"),
    "workspaces.delivered": gettext_lazy("Work was delivered"),
    "workspaces.qc_requested": gettext_lazy("A delivery waits for quality control"),
    "workspaces.revision_requested": gettext_lazy("A revision was requested"),
    "workspaces.completed": gettext_lazy("A milestone was marked as completed"),
    "workspaces.auto_approval_reminder": gettext_lazy(
        "A delivery will be approved automatically soon"
    ),
    "workspaces.terminated": gettext_lazy("A contract was ended"),
    "workspaces.dispute_opened": gettext_lazy("A dispute was opened"),
    "workspaces.dispute_decided": gettext_lazy("A dispute was decided"),
    "workspaces.contract_completed": gettext_lazy("A contract was completed"),
}


class WorkspacesConfig(AppConfig):
    name = "workspaces"
    verbose_name = gettext_lazy("Workspaces")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bids.models import ContractMilestone
        from escrow import memos, purposes
        from notifications.kinds import register_kind
        from workspaces import selectors, services

        for kind, label in KINDS.items():
            register_kind(kind, label)
        purposes.register_held("milestone", on_funded=services.on_milestone_funded)
        purposes.register_held("revision", on_funded=services.on_revision_fee_funded)
        purposes.register_describer("milestone", selectors.describe_milestones)
        purposes.register_describer("revision", selectors.describe_revisions)
        memos.register_name(ContractMilestone.DEFAULT_TITLE)  # milestone labels in memos
