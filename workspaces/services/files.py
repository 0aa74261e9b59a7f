"""Shared files, the chat and QC reviewers of a workspace."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from marketplace.money import format_money_lazy
from messaging.models import Message
from messaging.services import send_message
from workspaces.exceptions import InvalidInput, NotAllowed
from workspaces.models import Workspace, WorkspaceEvent, WorkspaceFile
from workspaces.services.common import (
    check_uploads,
    lock_workspace,
    open_workspace,
    record,
    require_role,
    shown_file_name,
    tell,
)

MEMBERS = ("client", "expert", "qc", "staff")


def upload_file(*, workspace: Workspace, by: User, upload: UploadedFile | None) -> WorkspaceFile:
    """A shared file; uploading the same name again adds the next version."""
    uploads = check_uploads([upload])
    if not uploads:
        raise InvalidInput(_("Choose a file to upload."))
    upload = uploads[0]
    with transaction.atomic():
        workspace = lock_workspace(workspace.pk)
        require_role(workspace, by, *MEMBERS, message=_("Only workspace members can upload."))
        name = shown_file_name(workspace, by, upload)
        version = (
            WorkspaceFile.objects.filter(
                workspace=workspace, delivery__isnull=True, name=name
            ).count()
            + 1
        )
        item = WorkspaceFile.objects.create(
            workspace=workspace,
            uploaded_by=by,
            file=upload,
            name=name,
            size=upload.size or 0,
            version=version,
        )
        record(
            workspace,
            by=by,
            action=WorkspaceEvent.Action.FILE_SHARED,
            params={"name": name, "version": version},
        )
    return item


def post_message(
    *, workspace: Workspace, by: User, body: str, files: list[UploadedFile] | None = None
) -> Message:
    require_role(workspace, by, *MEMBERS, message=_("Only workspace members can write here."))
    workspace = open_workspace(contract=workspace.contract)
    if workspace.conversation is None:
        raise InvalidInput(_("This workspace has no chat."))
    return send_message(conversation=workspace.conversation, by=by, body=body, files=files or [])


def start_video_call(*, workspace: Workspace, by: User) -> Message:
    """Post a meeting link (room URL pattern from settings) into the chat, written in the
    language of the person who started the call, as if they had typed it."""
    room = f"guildhall-{workspace.pk}-{uuid.uuid4().hex[:12]}"
    url = settings.VIDEO_ROOM_URL.format(room=room)
    return post_message(
        workspace=workspace, by=by, body=_("Video call started: join at %(url)s") % {"url": url}
    )


def assign_qc_reviewer(*, workspace: Workspace, by: User, reviewer: User | None) -> Workspace:
    """Staff invite a second expert to review deliveries (None: staff review them)."""
    with transaction.atomic():
        workspace = lock_workspace(workspace.pk)
        if not by.is_staff:
            raise NotAllowed(_("Only staff assign QC reviewers."))
        if reviewer is not None and reviewer.pk in {
            workspace.contract.client_id,
            workspace.contract.expert_id,
        }:
            raise InvalidInput(_("The QC reviewer must be someone outside the contract."))
        workspace.qc_reviewer = reviewer
        workspace.save(update_fields=["qc_reviewer"])
        record(
            workspace,
            by=by,
            action=WorkspaceEvent.Action.QC_REVIEWER_ASSIGNED,
            params={"reviewer": reviewer.display_name} if reviewer else {},
        )
        if reviewer is not None:
            tell(
                reviewer,
                kind="workspaces.qc_requested",
                title=gettext_lazy("You were invited to review deliveries as QC"),
                body=format_lazy(
                    gettext_lazy("Each review pays {amount}."),
                    amount=format_money_lazy(
                        settings.WORKSPACE_QC_FEE, workspace.contract.currency
                    ),
                ),
                workspace=workspace,
            )
    return workspace
