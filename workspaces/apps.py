from django.apps import AppConfig

KINDS = {
    "workspaces.start_requested": "An expert asked to start a milestone",
    "workspaces.milestone_started": "A milestone was started",
    "workspaces.delivered": "Work was delivered",
    "workspaces.qc_requested": "A delivery waits for quality control",
    "workspaces.revision_requested": "A revision was requested",
    "workspaces.completed": "A milestone was marked as completed",
    "workspaces.auto_approval_reminder": "A delivery will be approved automatically soon",
    "workspaces.terminated": "A contract was ended",
    "workspaces.dispute_opened": "A dispute was opened",
    "workspaces.dispute_decided": "A dispute was decided",
    "workspaces.contract_completed": "A contract was completed",
}


class WorkspacesConfig(AppConfig):
    name = "workspaces"
    verbose_name = "Workspaces"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from escrow import purposes
        from notifications.kinds import register_kind
        from workspaces import selectors, services

        for kind, label in KINDS.items():
            register_kind(kind, label)
        purposes.register_held("milestone", on_funded=services.on_milestone_funded)
        purposes.register_held("revision", on_funded=services.on_revision_fee_funded)
        purposes.register_describer("milestone", selectors.describe_milestones)
        purposes.register_describer("revision", selectors.describe_revisions)
