"""Every write on projects. Views, admin actions, tasks and tests call these.

from projects.services import create_draft, publish_project, buy_upgrades, ...
"""

from projects.services.digest import send_digest_to, send_digests, set_digest_frequency
from projects.services.expert_index import refresh_expert_index
from projects.services.lifecycle import (
    add_attachment,
    approve_project,
    cancel_project,
    close_project,
    create_draft,
    invite_expert,
    needs_moderation,
    publish_project,
    refresh_search_vector,
    refresh_search_vectors,
    reject_project,
    remove_attachment,
    request_clarification,
    resubmit_project,
    update_project,
    validate_post,
)
from projects.services.nda import accept_nda
from projects.services.upgrades import (
    PURPOSE,
    apply_paid_upgrades,
    buy_upgrades,
    complete_assist,
    end_featured,
    register_purposes,
    upgrade_price,
)

__all__ = [
    "PURPOSE",
    "accept_nda",
    "add_attachment",
    "apply_paid_upgrades",
    "approve_project",
    "buy_upgrades",
    "cancel_project",
    "close_project",
    "complete_assist",
    "create_draft",
    "end_featured",
    "invite_expert",
    "needs_moderation",
    "publish_project",
    "refresh_expert_index",
    "refresh_search_vector",
    "refresh_search_vectors",
    "register_purposes",
    "reject_project",
    "remove_attachment",
    "request_clarification",
    "resubmit_project",
    "send_digest_to",
    "send_digests",
    "set_digest_frequency",
    "update_project",
    "upgrade_price",
    "validate_post",
]
