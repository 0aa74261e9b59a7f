"""Every write on workspaces. Views, admin actions, tasks and tests call these.

from workspaces.services import request_start, start_milestone, complete_milestone, ...
"""

from workspaces.services.common import open_workspace, role_of
from workspaces.services.cycle import (
    PaymentResult,
    approve_delivery,
    auto_approve_due,
    complete_milestone,
    deliver_milestone,
    on_milestone_funded,
    on_revision_fee_funded,
    pay_revision_fee,
    request_qc_changes,
    request_revision,
    request_start,
    start_milestone,
    withdraw_revision,
)
from workspaces.services.disputes import (
    open_dispute,
    resolve_dispute,
    respond_to_dispute,
    terminate_contract,
)
from workspaces.services.files import (
    assign_qc_reviewer,
    post_message,
    start_video_call,
    upload_file,
)

__all__ = [
    "PaymentResult",
    "approve_delivery",
    "assign_qc_reviewer",
    "auto_approve_due",
    "complete_milestone",
    "deliver_milestone",
    "on_milestone_funded",
    "on_revision_fee_funded",
    "open_dispute",
    "open_workspace",
    "pay_revision_fee",
    "post_message",
    "request_qc_changes",
    "request_revision",
    "request_start",
    "resolve_dispute",
    "respond_to_dispute",
    "role_of",
    "start_milestone",
    "start_video_call",
    "terminate_contract",
    "upload_file",
    "withdraw_revision",
]
