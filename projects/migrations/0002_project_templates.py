"""A starting set of project templates (staff edit them in the admin)."""

from django.db import migrations

TEMPLATES = [
    {
        "slug": "logo-design",
        "name": "Logo design",
        "summary": "A logo and small brand kit for a new or refreshed business.",
        "category": "design",
        "skills": ["logo-design", "brand-identity"],
        "level": "intermediate",
        "budget": ("range", 40000, 120000),
        "title": "Logo and brand kit for our business",
        "description": (
            "We are looking for a designer to create a logo for **[company name]**, "
            "a [what you do] business serving [who your customers are].\n\n"
            "## What we need\n"
            "- Three initial logo concepts, then two rounds of revisions on the chosen one\n"
            "- Final files: SVG, PDF and PNG (colour, black, white)\n"
            "- A one-page guide: colours, typefaces, minimum sizes, clear space\n\n"
            "## About us\n"
            "Tell experts about your brand's personality, competitors and logos you like.\n"
        ),
    },
    {
        "slug": "mobile-app-mvp",
        "name": "Mobile app MVP",
        "summary": "A first version of an iOS and Android app to test with real users.",
        "category": "software",
        "skills": ["flutter", "ios", "android"],
        "level": "expert",
        "budget": ("range", 1500000, 4000000),
        "title": "Build the MVP of our mobile app (iOS and Android)",
        "description": (
            "We want a minimum viable product of our app to put in front of early users.\n\n"
            "## Core features\n"
            "1. Sign up and log in (email, Apple, Google)\n"
            "2. [Main feature: what users do in the app]\n"
            "3. Push notifications\n"
            "4. A simple admin view of users and content\n\n"
            "## Deliverables\n"
            "- Source code in our repository, with a README to build and release it\n"
            "- Builds published to TestFlight and Google Play internal testing\n"
            "- Milestones: clickable prototype, feature-complete beta, store release\n\n"
            "Designs are [ready / not ready]. Please describe similar apps you have shipped.\n"
        ),
    },
    {
        "slug": "injection-mould-defect-analysis",
        "name": "Injection-mould defect analysis",
        "summary": "Find the root cause of a moulding defect and how to fix it.",
        "category": "engineering",
        "skills": ["injection-moulding", "failure-analysis", "mould-flow-analysis"],
        "level": "expert",
        "budget": ("range", 200000, 600000),
        "title": "Root-cause analysis of a recurring injection-moulding defect",
        "description": (
            "Our moulded part shows **[sink marks / short shots / warpage / flash]** on "
            "roughly [x]% of shots.\n\n"
            "## The part and process\n"
            "- Material: [e.g. PA66 GF30], part weight [g], wall thickness [mm]\n"
            "- Machine: [clamp force, make], mould: [cavities, hot or cold runner]\n"
            "- Current settings and defect photos are attached\n\n"
            "## What we expect\n"
            "- A review of the part design, mould and process window\n"
            "- The likely root cause, with evidence (mould-flow results welcome)\n"
            "- Concrete changes to settings or tooling, ranked by cost and effect\n"
            "- A short written report and a video call to discuss it\n"
        ),
    },
    {
        "slug": "technical-translation",
        "name": "Technical translation",
        "summary": "Translate manuals, datasheets or specifications by a subject expert.",
        "category": "writing-translation",
        "skills": ["technical-translation-en-de", "localisation"],
        "level": "intermediate",
        "budget": ("fixed", 80000, 80000),
        "title": "Translate a technical manual from English to German",
        "description": (
            "We need a translation of our **[product] user manual** (about [n] words) "
            "from English into German by a translator who knows the field.\n\n"
            "## Details\n"
            "- Source files: [Word / InDesign / XML], attached\n"
            "- Our glossary is attached; please keep terminology consistent with it\n"
            "- Delivery in the same format and layout as the source\n"
            "- A second-pair-of-eyes review is welcome\n"
        ),
    },
    {
        "slug": "staff-training-course",
        "name": "Staff training course",
        "summary": "Design and run a course or workshop for your team.",
        "category": "training",
        "skills": ["corporate-training", "workshop-facilitation"],
        "level": "expert",
        "budget": ("range", 250000, 800000),
        "title": "Design and deliver a training course for our team",
        "description": (
            "We would like a course on **[topic]** for [n] staff at [level: new hires, "
            "engineers, managers].\n\n"
            "## Format\n"
            "- [One-day on-site workshop / four online sessions of two hours]\n"
            "- Hands-on exercises based on our own cases\n"
            "- Handouts and slides we may keep using internally\n\n"
            "## Outcome\n"
            "By the end, participants should be able to [learning goals]. "
            "Please include an outline and your experience training similar groups.\n"
        ),
    },
]


def load(apps, schema_editor):
    ProjectTemplate = apps.get_model("projects", "ProjectTemplate")
    SkillCategory = apps.get_model("accounts", "SkillCategory")
    Skill = apps.get_model("accounts", "Skill")
    for position, data in enumerate(TEMPLATES):
        category = SkillCategory.objects.filter(slug=data["category"]).first()
        if category is None:
            continue
        budget_type, budget_min, budget_max = data["budget"]
        template, _ = ProjectTemplate.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "summary": data["summary"],
                "category": category,
                "title": data["title"],
                "description": data["description"],
                "expertise_level": data["level"],
                "budget_type": budget_type,
                "budget_min": budget_min,
                "budget_max": budget_max,
                "position": position,
            },
        )
        template.skills.set(Skill.objects.filter(slug__in=data["skills"]))


def unload(apps, schema_editor):
    ProjectTemplate = apps.get_model("projects", "ProjectTemplate")
    ProjectTemplate.objects.filter(slug__in=[data["slug"] for data in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("accounts", "0004_taxonomy_data"),
    ]

    operations = [migrations.RunPython(load, unload)]
