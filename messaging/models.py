"""Conversations between the parties of a bid or a workspace, and staff.

A conversation is found by its `key` ("bid:12", "negotiation:12:client", "workspace:7"), so the
app that owns the subject opens it idempotently. While `guard_contacts` is on (before a contract
exists) contact details in messages are masked and the message is flagged for staff.

Its heading is written when shown, in the reader's language, from its `kind`, its `subject` (the
project title as the client typed it) and `params` (the bid's alias, which side a negotiation is
with).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from accounts.models import private_storage

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class Conversation(models.Model):
    class Kind(models.TextChoices):
        BID = "bid", gettext_lazy("Clarification on a bid")
        NEGOTIATION = "negotiation", gettext_lazy("Negotiation through staff")
        WORKSPACE = "workspace", gettext_lazy("Workspace")

    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    key = models.CharField(max_length=80, unique=True, verbose_name=gettext_lazy("key"))
    subject = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("What the conversation is about, as typed (a project title)."),
        verbose_name=gettext_lazy("subject"),
    )
    params = models.JSONField(
        default=dict,
        blank=True,
        help_text=gettext_lazy("The heading's variable parts: alias, side."),
        verbose_name=gettext_lazy("heading details"),
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Only a heading stored before that could not be read back."),
        verbose_name=gettext_lazy("title"),
    )
    subject_url = models.CharField(
        max_length=300, blank=True, verbose_name=gettext_lazy("subject URL")
    )
    guard_contacts = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Mask contact details (on until a contract exists)."),
        verbose_name=gettext_lazy("guard contacts"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    last_message_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=gettext_lazy("last message at")
    )

    class Meta:
        verbose_name = gettext_lazy("conversation")
        verbose_name_plural = gettext_lazy("conversations")
        ordering = ("-last_message_at", "-id")

    def __str__(self) -> str:
        return str(self.heading)

    def get_absolute_url(self) -> str:
        return reverse("messaging:conversation", args=[self.pk])

    @property
    @admin.display(description=gettext_lazy("conversation"))
    def heading(self) -> StrOrPromise:
        """The conversation's name in the active language (lazy: a notification renders it in
        its recipient's language)."""
        if not self.subject:
            return self.title
        params = self.params or {}
        alias = params.get("alias", "")
        if self.kind == self.Kind.NEGOTIATION and params.get("side") == "client":
            wording = gettext_lazy("Negotiation with the client on “{title}” ({alias})")
        elif self.kind == self.Kind.NEGOTIATION:
            wording = gettext_lazy("Negotiation with {alias} on “{title}”")
        elif self.kind == self.Kind.WORKSPACE:
            wording = gettext_lazy("Workspace: {title}")
        else:
            wording = gettext_lazy("Bid on “{title}”")
        return format_lazy(wording, title=self.subject, alias=alias)


class Participant(models.Model):
    """A person in a conversation; `alias` is the name others see (managed projects)."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=gettext_lazy("conversation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversation_seats",
        verbose_name=gettext_lazy("user"),
    )
    alias = models.CharField(max_length=80, blank=True, verbose_name=gettext_lazy("alias"))
    last_read_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("last read at")
    )
    joined_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("joined at"))

    class Meta:
        verbose_name = gettext_lazy("participant")
        verbose_name_plural = gettext_lazy("participants")
        ordering = ("joined_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return self.alias or self.user.display_name


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=gettext_lazy("conversation"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("sender"),
    )
    sender_name = models.CharField(
        max_length=80,
        help_text=gettext_lazy("As the other side saw it."),
        verbose_name=gettext_lazy("sender name"),
    )
    from_staff = models.BooleanField(default=False, verbose_name=gettext_lazy("from staff"))
    body = models.TextField(
        help_text=gettext_lazy("As shown, contact details masked."),
        verbose_name=gettext_lazy("body"),
    )
    original_body = models.TextField(
        blank=True,
        help_text=gettext_lazy("Before masking; staff only."),
        verbose_name=gettext_lazy("original body"),
    )
    flagged = models.BooleanField(
        default=False, db_index=True, verbose_name=gettext_lazy("flagged")
    )
    flag_reasons = models.CharField(
        max_length=120, blank=True, verbose_name=gettext_lazy("flag reasons")
    )
    flag_reviewed = models.BooleanField(default=False, verbose_name=gettext_lazy("flag reviewed"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=gettext_lazy("created at")
    )

    class Meta:
        verbose_name = gettext_lazy("message")
        verbose_name_plural = gettext_lazy("messages")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["conversation", "id"], name="message_conversation_id")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(flagged=True) | ~models.Q(original_body=""),
                name="message_flagged_keeps_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_name}: {self.body[:40]}"


def message_attachment_path(instance: MessageAttachment, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"private/messages/{uuid.uuid4().hex}{suffix}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=gettext_lazy("message"),
    )
    file = models.FileField(
        upload_to=message_attachment_path,
        storage=private_storage,
        max_length=200,
        verbose_name=gettext_lazy("file"),
    )
    name = models.CharField(max_length=200, verbose_name=gettext_lazy("name"))
    size = models.PositiveBigIntegerField(verbose_name=gettext_lazy("size"))

    class Meta:
        verbose_name = gettext_lazy("message attachment")
        verbose_name_plural = gettext_lazy("message attachments")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("messaging:attachment", args=[self.pk])
