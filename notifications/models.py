"""In-app notifications and the per-kind email switch."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from notifications.kinds import label_for


class Notification(models.Model):
    """Something a person should know about; shown in the app and (unless switched off) emailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=gettext_lazy("user"),
    )
    kind = models.CharField(
        max_length=100,
        help_text=gettext_lazy('Dotted name, e.g. "escrow.payout_paid".'),
        verbose_name=gettext_lazy("kind"),
    )
    title = models.CharField(max_length=200, verbose_name=gettext_lazy("title"))
    body = models.TextField(blank=True, verbose_name=gettext_lazy("body"))
    url = models.CharField(
        max_length=500,
        blank=True,
        help_text=gettext_lazy("A path on this site."),
        verbose_name=gettext_lazy("URL"),
    )
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("target type"),
    )
    target_id = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("target ID")
    )
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("read at"))
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Set once when the email is claimed for sending."),
        verbose_name=gettext_lazy("emailed at"),
    )

    class Meta:
        verbose_name = gettext_lazy("notification")
        verbose_name_plural = gettext_lazy("notifications")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notif_user_read_idx"),
            models.Index(fields=["user", "-created_at", "-id"], name="notif_user_recent_idx"),
            models.Index(fields=["target_type", "target_id"], name="notif_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_type__isnull=True, target_id__isnull=True)
                | models.Q(target_type__isnull=False, target_id__isnull=False),
                name="notification_target_complete",
            ),
        ]

    def __str__(self) -> str:
        # The title as its reader got it, and who that is; the kind code is a column.
        return gettext("“%(title)s” for %(user)s") % {
            "title": self.title,
            "user": self.user.display_name,
        }

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return str(label_for(self.kind))


class EmailPreference(models.Model):
    """A person's email switch for one kind; no row means email is on (the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preferences",
        verbose_name=gettext_lazy("user"),
    )
    kind = models.CharField(max_length=100, verbose_name=gettext_lazy("kind"))
    email_enabled = models.BooleanField(default=True, verbose_name=gettext_lazy("email enabled"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("email preference")
        verbose_name_plural = gettext_lazy("email preferences")
        ordering = ("user_id", "kind")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique_kind"),
        ]

    def __str__(self) -> str:
        wording = (
            gettext("%(user)s gets emails for “%(kind)s”")
            if self.email_enabled
            else gettext("%(user)s gets no emails for “%(kind)s”")
        )
        return wording % {"user": self.user.display_name, "kind": label_for(self.kind)}

    def __repr__(self) -> str:
        return f"<EmailPreference {self.user_id} {self.kind} {self.email_enabled}>"
