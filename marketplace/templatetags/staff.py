"""{% staff_queues as queues %}: what waits for staff, with where to handle it (staff pages)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext

register = template.Library()


@dataclass(frozen=True)
class Queue:
    label: str
    count: int
    url: str


@register.simple_tag
def staff_queues() -> list[Queue]:
    """One count per queue (a few queries, only on staff pages)."""
    from accounts.models import CompanyProfile, TaxonomyRequest
    from leads.models import CreditRequest
    from projects.models import ExtraFeeRequest, Project

    def admin(name: str, query: str) -> str:
        return reverse(f"admin:{name}_changelist") + query

    return [
        Queue(
            gettext("Projects waiting for approval"),
            Project.objects.filter(status=Project.Status.PENDING).count(),
            admin("projects_project", "?status__exact=pending_approval"),
        ),
        Queue(
            gettext("Companies waiting for verification"),
            CompanyProfile.objects.filter(
                verification_status=CompanyProfile.Status.PENDING
            ).count(),
            admin("accounts_companyprofile", "?verification_status__exact=pending"),
        ),
        Queue(
            gettext("Requests for a missing skill, category or job type"),
            TaxonomyRequest.objects.filter(status=TaxonomyRequest.Status.PENDING).count(),
            admin("accounts_taxonomyrequest", "?status__exact=pending"),
        ),
        Queue(
            gettext("Lead credit requests"),
            CreditRequest.objects.filter(status=CreditRequest.Status.PENDING).count(),
            admin("leads_creditrequest", "?status__exact=pending"),
        ),
        Queue(
            gettext("Extra fee requests"),
            ExtraFeeRequest.objects.filter(status=ExtraFeeRequest.Status.PENDING).count(),
            admin("projects_extrafeerequest", "?status__exact=pending"),
        ),
    ]
