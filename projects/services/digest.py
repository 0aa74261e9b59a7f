"""The new-matching-projects digest: each expert, daily or weekly, each project at most once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.models import ExpertSkill, User
from projects.models import DigestEntry, DigestPreference, Project

PERIODS = {
    DigestPreference.Frequency.DAILY: timedelta(days=1),
    DigestPreference.Frequency.WEEKLY: timedelta(days=7),
}
MAX_PROJECTS = 20
KIND = "projects.digest"


def _email_wanted(user: User) -> bool:
    """The notifications app's per-kind email switch, when that app is installed."""
    try:
        from notifications.services import email_enabled_for
    except ImportError:
        return True
    return email_enabled_for(user=user, kind=KIND)


def experts_due(frequency: str) -> list[int]:
    """Ids of active experts with at least one skill who chose this frequency (no row: weekly)."""
    has_skills = Exists(ExpertSkill.objects.filter(profile__user=OuterRef("pk")))
    chose = Q(project_digest__frequency=frequency)
    if frequency == DigestPreference.Frequency.WEEKLY:
        chose |= Q(project_digest__isnull=True)
    return list(
        User.objects.filter(has_skills, chose, is_active=True, is_expert=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def matching_new_projects(*, user: User, since: datetime) -> list[Project]:
    skill_ids = ExpertSkill.objects.filter(profile__user=user).values("skill_id")
    matches = Project.skills.through.objects.filter(
        project_id=OuterRef("pk"), skill_id__in=skill_ids
    )
    already = DigestEntry.objects.filter(user=user, project_id=OuterRef("pk"))
    projects = Project.objects.filter(
        Exists(matches),
        ~Exists(already),
        status=Project.Status.OPEN,
        visibility=Project.Visibility.PUBLIC,
        published_at__gte=since,
    ).exclude(owner=user)
    if not user.is_company:
        projects = projects.filter(restricted_to_businesses=False)
    return list(projects.order_by("-published_at", "-id")[:MAX_PROJECTS])


def send_digest_to(*, user_id: int, frequency: str) -> int:
    """Email one expert their new matching projects; returns how many were sent (0: no email)."""
    period = PERIODS[DigestPreference.Frequency(frequency)]
    with transaction.atomic():
        user = User.objects.get(pk=user_id)
        if not user.email or not _email_wanted(user):
            return 0
        preference, _ = DigestPreference.objects.get_or_create(user=user)
        # The row lock serialises two runs for the same expert (a redelivered task).
        preference = DigestPreference.objects.select_for_update().get(pk=preference.pk)
        now = timezone.now()
        since = max(preference.last_sent_at or now - period, now - period)
        projects = matching_new_projects(user=user, since=since)
        preference.last_sent_at = now
        preference.save(update_fields=["last_sent_at"])
        if not projects:
            return 0
        DigestEntry.objects.bulk_create(
            [DigestEntry(user=user, project=project, sent_at=now) for project in projects]
        )
        with translation.override(user.language_or_default):
            body = render_to_string(
                "projects/email/digest.txt",
                {"user": user, "projects": projects, "site_url": settings.SITE_URL},
            )
            count = ngettext(
                "%(count)d new project matching your skills",
                "%(count)d new projects matching your skills",
                len(projects),
            ) % {"count": len(projects)}
        subject = f"[{settings.SITE_NAME}] {count}"
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        )
        return len(projects)


def send_digests(*, frequency: str) -> int:
    """Beat job body: one digest per due expert; returns how many emails were sent."""
    sent = 0
    for user_id in experts_due(frequency):
        if send_digest_to(user_id=user_id, frequency=frequency):
            sent += 1
    return sent


def set_digest_frequency(*, user: User, frequency: str) -> DigestPreference:
    frequency = DigestPreference.Frequency(frequency)
    preference, _ = DigestPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference
