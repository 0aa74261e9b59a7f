# ruff: noqa: S311 -- seeded pseudo-random data for benchmarks, not secrets.
"""Realistic bulk data for the search benchmarks: projects and experts with skill spreads that
follow the taxonomy (each project and expert draws its skills from one or two categories)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import (
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Language,
    Skill,
    SkillCategory,
    User,
)
from projects.models import Project
from projects.services import refresh_search_vectors

BATCH = 5000
COUNTRIES = ["DE", "FR", "GB", "IT", "ES", "PL", "NL", "AT", "PT", "SE", "US", "CA"]
VERBS = ["Build", "Design", "Review", "Improve", "Translate", "Analyse", "Create", "Fix", "Audit"]
OBJECTS = [
    "for our new product line",
    "for a family business",
    "before our trade fair",
    "for a medical device",
    "for an online shop",
    "for our production plant",
    "for a start-up",
    "for the launch in spring",
]
SENTENCES = [
    "We are a {size} company and need help from an experienced specialist.",
    "The work should be finished within {weeks} weeks, in milestones.",
    "Please describe similar work you delivered and how you would approach ours.",
    "Our team speaks English and can answer questions quickly.",
    "Documents and earlier attempts are available after the first call.",
    "Quality matters more than speed; a clear written hand-over is required.",
]
HEADLINES = [
    "{skill} specialist",
    "Senior {skill} consultant",
    "{skill} and {skill2} expert",
    "Freelance {skill} professional",
]


def _description(rng: random.Random, skills: list[str]) -> str:
    parts = [
        rng.choice(SENTENCES).format(
            size=rng.choice(["small", "mid-sized", "large"]), weeks=rng.randint(2, 12)
        )
        for _ in range(4)
    ]
    parts.append("Skills we need: " + ", ".join(skills) + ".")
    return " ".join(parts)


def _by_category() -> list[tuple[SkillCategory, list[Skill]]]:
    return [
        (category, list(category.skills.all()))
        for category in SkillCategory.objects.prefetch_related("skills")
        if category.skills.exists()
    ]


def seed_users(*, count: int, prefix: str, **fields: object) -> list[int]:
    password = make_password(None)
    now = timezone.now()
    users = [
        User(
            email=f"{prefix}-{n}@bench.example",
            name=f"{prefix.title()} {n}",
            password=password,
            date_joined=now,
            **fields,
        )
        for n in range(count)
    ]
    ids: list[int] = []
    for start in range(0, count, BATCH):
        created = User.objects.bulk_create(users[start : start + BATCH], batch_size=BATCH)
        ids += [user.pk for user in created]
    return ids


@transaction.atomic
def seed_projects(*, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    categories = _by_category()
    languages = list(Language.objects.values_list("pk", flat=True))
    owners = seed_users(count=max(count // 50, 1), prefix="bench-client", is_client=True)
    companies = set(rng.sample(owners, len(owners) // 5))
    User.objects.filter(pk__in=companies).update(account_type=User.AccountType.COMPANY)
    now = timezone.now()
    skill_rows = []
    language_rows = []
    for start in range(0, count, BATCH):
        batch = []
        picks = []
        for _ in range(start, min(start + BATCH, count)):
            category, skills = rng.choice(categories)
            chosen = rng.sample(skills, k=min(len(skills), rng.randint(1, 4)))
            names = [skill.name for skill in chosen]
            budget_min = rng.choice([200, 500, 1000, 2500, 5000, 10000, 25000]) * 100
            ranged = rng.random() < 0.5
            onsite = rng.random() < 0.1
            batch.append(
                Project(
                    owner_id=rng.choice(owners),
                    title=f"{rng.choice(VERBS)} {names[0].lower()} {rng.choice(OBJECTS)}",
                    description=_description(rng, names),
                    category=category,
                    expertise_level=rng.choice(["entry", "intermediate", "expert"]),
                    budget_type="range" if ranged else "fixed",
                    budget_min=budget_min,
                    budget_max=budget_min * rng.choice([2, 3]) if ranged else budget_min,
                    location_type="onsite" if onsite else "remote",
                    country=rng.choice(COUNTRIES) if onsite else "",
                    city="Hamburg" if onsite else "",
                    status=Project.Status.OPEN if rng.random() < 0.9 else Project.Status.CLOSED,
                    published_at=now - timedelta(minutes=rng.randint(1, 60 * 24 * 90)),
                    featured_until=now + timedelta(days=3) if rng.random() < 0.01 else None,
                    bid_count=rng.randint(0, 30),
                )
            )
            picks.append((chosen, rng.sample(languages, k=rng.randint(0, 2))))
        created = Project.objects.bulk_create(batch, batch_size=BATCH)
        for project, (chosen, langs) in zip(created, picks, strict=True):
            skill_rows += [
                Project.skills.through(project_id=project.pk, skill_id=skill.pk) for skill in chosen
            ]
            language_rows += [
                Project.languages.through(project_id=project.pk, language_id=language)
                for language in langs
            ]
    Project.skills.through.objects.bulk_create(skill_rows, batch_size=BATCH * 2)
    Project.languages.through.objects.bulk_create(language_rows, batch_size=BATCH * 2)
    refresh_search_vectors()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE projects_project")
            cursor.execute("ANALYZE projects_project_skills")
            cursor.execute("ANALYZE projects_project_languages")


@transaction.atomic
def seed_experts(*, count: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    categories = _by_category()
    languages = list(Language.objects.values_list("pk", flat=True))
    user_ids = seed_users(
        count=count, prefix="bench-expert", is_expert=True, active_role=User.Role.EXPERT
    )
    companies = set(rng.sample(user_ids, len(user_ids) // 10))
    User.objects.filter(pk__in=companies).update(account_type=User.AccountType.COMPANY)
    skill_rows = []
    language_rows = []
    for start in range(0, count, BATCH):
        profiles = []
        picks = []
        for user_id in user_ids[start : start + BATCH]:
            _category, skills = rng.choice(categories)
            chosen = rng.sample(skills, k=min(len(skills), rng.randint(2, 6)))
            names = [skill.name for skill in chosen]
            profiles.append(
                ExpertProfile(
                    user_id=user_id,
                    headline=rng.choice(HEADLINES).format(skill=names[0], skill2=names[-1]),
                    bio=_description(rng, names),
                    hourly_rate=rng.randint(25, 150) * 100,
                    country=rng.choice(COUNTRIES),
                    remote_ok=rng.random() < 0.9,
                )
            )
            picks.append((chosen, rng.sample(languages, k=rng.randint(1, 3))))
        created = ExpertProfile.objects.bulk_create(profiles, batch_size=BATCH)
        for profile, (chosen, langs) in zip(created, picks, strict=True):
            skill_rows += [ExpertSkill(profile=profile, skill=skill) for skill in chosen]
            language_rows += [
                ExpertLanguage(profile=profile, language_id=language) for language in langs
            ]
    ExpertSkill.objects.bulk_create(skill_rows, batch_size=BATCH * 2)
    ExpertLanguage.objects.bulk_create(language_rows, batch_size=BATCH * 2)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_expertprofile")
            cursor.execute("ANALYZE accounts_expertskill")
            cursor.execute("ANALYZE accounts_expertlanguage")
            cursor.execute("ANALYZE accounts_user")
