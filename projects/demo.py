"""Demo projects for `manage.py seed_demo` (idempotent: a project is matched by owner and title).

Runs after accounts.demo, whose clients and experts it uses.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import Language, Skill, SkillCategory, User
from projects import selectors, services
from projects.models import Invitation, Project

DEMO_PROJECTS: list[dict[str, Any]] = [
    {
        "owner": "jonas@guildhall.example",
        "title": "Root-cause analysis of sink marks on a PA66 GF30 housing",
        "category": "engineering",
        "skills": ["injection-moulding", "failure-analysis", "mould-flow-analysis"],
        "languages": ["de", "en"],
        "budget": ("range", 300000, 600000),
        "level": "expert",
        "days": 21,
        "featured": True,
        "description": (
            "Our 2-cavity mould for a pump housing (PA66 GF30, 184 g) shows **sink marks** "
            "opposite the ribs on about 6% of shots since we moved it to a new 350 t machine.\n\n"
            "## What we expect\n"
            "- A review of the part design, gating and our process window\n"
            "- The most likely root cause, with evidence (mould-flow results welcome)\n"
            "- Changes to settings or tooling, ranked by cost and effect\n"
            "- A short report and a call with our process engineers\n"
        ),
    },
    {
        "owner": "jonas@guildhall.example",
        "title": "Gate redesign for a confidential medical housing (hub project)",
        "category": "engineering",
        "skills": ["injection-moulding", "mould-flow-analysis"],
        "languages": ["de", "en"],
        "budget": ("fixed", 450000, 450000),
        "level": "expert",
        "days": 28,
        "managed": True,
        "nda": True,
        "qc": True,
        "summary": (
            "Gate and runner redesign for a two-shot PC/TPE housing in medical technology: "
            "mould-flow study and a ranked proposal. Drawings and volumes after the NDA."
        ),
        "description": (
            "Part H-2231 (PC shell, TPE overmould, 38 g) fills unevenly since the customer "
            "moved the ejector side; we see weld lines across the sealing lip.\n\n"
            "## What we share after the NDA\n"
            "- STEP files of the part and the current runner\n"
            "- Process sheets of the last three batches\n"
            "- The customer's sealing test results\n"
        ),
    },
    {
        "owner": "jonas@guildhall.example",
        "title": "Translate an injection-moulding machine manual from English to German",
        "category": "writing-translation",
        "skills": ["technical-translation-en-de", "proofreading"],
        "languages": ["de", "en"],
        "budget": ("fixed", 120000, 120000),
        "level": "intermediate",
        "days": 30,
        "description": (
            "About 14,000 words: safety instructions, set-up and maintenance chapters. "
            "Our glossary is attached; delivery as Word with the original layout."
        ),
    },
    {
        "owner": "jonas@guildhall.example",
        # Written in German, like most posts of the hub's German-speaking companies.
        "title": "Zweitägiger Workshop zur Problemlösung für unsere Schichtleiter",
        "category": "training",
        "skills": ["corporate-training", "workshop-facilitation", "root-cause-analysis"],
        "languages": ["de"],
        "budget": ("range", 400000, 700000),
        "level": "expert",
        "days": 45,
        "onsite": ("DE", "Hamburg"),
        "restricted": True,
        "description": (
            "Zwölf Schichtleiter, vor Ort in Hamburg. Praktische Übungen zu 8D und 5-Why an "
            "unseren eigenen Ausschussfällen, mit Unterlagen, die wir weiterverwenden können.\n\n"
            "## Was wir erwarten\n"
            "- Zwei Tage Workshop in unserem Werk, auf Deutsch\n"
            "- Übungen an echten Fällen aus unserer Fertigung\n"
            "- Handouts und Vorlagen für 8D-Berichte\n"
        ),
    },
    {
        "owner": "hannah@guildhall.example",
        "title": "Logo and small brand kit for an outdoor-gear shop",
        "category": "design",
        "skills": ["logo-design", "brand-identity"],
        "languages": ["en"],
        "budget": ("range", 60000, 150000),
        "level": "intermediate",
        "days": 20,
        "description": (
            "Alpine Loft sells used and repaired outdoor gear online. We want a logo that works "
            "on tiny product labels and on a shop sign, plus colours and type for the website."
        ),
    },
    {
        "owner": "hannah@guildhall.example",
        "title": "Speed up product search in our Django shop",
        "category": "software",
        "skills": ["python", "django", "postgresql"],
        "languages": ["en"],
        "budget": ("range", 200000, 400000),
        "level": "expert",
        "days": 25,
        "description": (
            "Search over 40,000 products takes 2 to 3 seconds. We would like PostgreSQL full-text "
            "search with filters, tests, and a short write-up of what changed."
        ),
    },
    {
        "owner": "camille@guildhall.example",
        "title": "Mobile app MVP: a lamp configurator for our retailers",
        "category": "software",
        "skills": ["flutter", "ios", "android"],
        "languages": ["fr", "en"],
        "budget": ("range", 1500000, 3000000),
        "level": "expert",
        "days": 60,
        "description": (
            "Retailers pick a lamp, a shade and a finish, see it rendered and send an order. "
            "Three milestones: clickable prototype, beta, store release."
        ),
    },
    {
        "owner": "hannah@guildhall.example",
        "title": "Packaging design for a new lamp series",
        "category": "design",
        "skills": ["packaging-design", "brand-identity"],
        "languages": ["fr"],
        "budget": ("fixed", 250000, 250000),
        "level": "expert",
        "days": 35,
        "private": True,
        "invite": "sofia@guildhall.example",
        "description": "Confidential until launch: boxes for six lamps, recyclable board only.",
    },
    {
        "owner": "hannah@guildhall.example",
        "title": "Retouch 60 product photos",
        "category": "design",
        "skills": ["illustration"],
        "languages": [],
        "budget": ("fixed", 30000, 30000),
        "level": "entry",
        "days": 15,
        "draft": True,
        "description": "White background, consistent shadows, 2000 px square.",
    },
]


def _values(data: dict[str, Any]) -> dict[str, Any]:
    budget_type, budget_min, budget_max = data["budget"]
    country, city = data.get("onsite", ("", ""))
    return {
        "title": data["title"],
        "description": data["description"],
        "category": SkillCategory.objects.get(slug=data["category"]),
        "skills": list(Skill.objects.filter(slug__in=data["skills"])),
        "languages": list(Language.objects.filter(code__in=data["languages"])),
        "expertise_level": data["level"],
        "budget_type": budget_type,
        "budget_min": budget_min,
        "budget_max": budget_max,
        "deadline": timezone.localdate() + timedelta(days=data["days"]),
        "location_type": "onsite" if country else "remote",
        "country": country,
        "city": city,
        "restricted_to_businesses": data.get("restricted", False),
        "managed": data.get("managed", False),
        "nda_required": data.get("nda", False),
        "additional_qc": data.get("qc", False),
        "public_summary": data.get("summary", ""),
        "payment_model": Project.PaymentModel.MILESTONES,
    }


def seed(*, stdout: Any = None) -> list[tuple[str, str]]:
    for data in DEMO_PROJECTS:
        owner = User.objects.filter(email=data["owner"]).first()
        if owner is None or Project.objects.filter(owner=owner, title=data["title"]).exists():
            continue
        project = services.create_draft(by=owner, values=_values(data))
        if data.get("draft") or selectors.publish_refusal(owner):
            continue  # a draft, or a company not verified yet: its posts wait as drafts
        project = services.publish_project(project=project, by=owner)
        if project.status == Project.Status.PENDING:
            staff = User.objects.filter(is_staff=True).first()
            if staff is not None:
                project = services.approve_project(project=project, by=staff)
        extra: dict[str, Any] = {}
        if data.get("featured"):
            # Demo shortcut: a Featured period as if it had been bought.
            extra["featured_until"] = timezone.now() + timedelta(days=settings.FEATURED_DAYS)
            extra["featured_end_notified"] = False
        if data.get("private"):
            extra["visibility"] = Project.Visibility.PRIVATE
        if extra:
            Project.objects.filter(pk=project.pk).update(**extra)
        invitee = User.objects.filter(email=data.get("invite", "")).first()
        if invitee and not Invitation.objects.filter(project=project, expert=invitee).exists():
            services.invite_expert(project=project, expert=invitee, by=owner)
    services.refresh_expert_index()
    return []
