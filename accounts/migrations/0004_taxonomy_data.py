"""The starting skills taxonomy and working languages (staff extend them in the admin)."""

from django.db import migrations
from django.utils.text import slugify

TAXONOMY = [
    ("Software", [
        "Python", "Django", "JavaScript", "TypeScript", "React", "Vue.js", "Node.js", "PHP",
        "Java", "Go", "Rust", "iOS", "Android", "Flutter", "DevOps", "AWS", "Kubernetes",
        "PostgreSQL", "Data engineering", "Machine learning", "Data analysis", "Web scraping",
        "QA and test automation", "Embedded systems",
    ]),
    ("Design", [
        "Logo design", "UI/UX", "Web design", "Illustration", "Brand identity",
        "Packaging design", "Print design", "Motion graphics", "3D rendering", "Presentation design",
    ]),
    ("Writing & translation", [
        "Technical translation EN-DE", "Technical translation EN-FR", "Legal translation",
        "Copywriting", "Technical writing", "Proofreading", "Editing", "Ghostwriting",
        "Localisation", "Subtitling",
    ]),
    ("Engineering", [
        "Injection moulding", "Mould design", "Plastics engineering", "CAD (SolidWorks)",
        "CAD (CATIA)", "FEA", "Mould flow analysis", "Product design", "Rapid prototyping",
        "Materials selection", "Quality engineering", "Failure analysis", "Electrical engineering",
        "PCB design",
    ]),
    ("Marketing", [
        "SEO", "Paid ads", "Content strategy", "Social media marketing", "Email marketing",
        "Market research", "Marketing analytics", "Public relations",
    ]),
    ("Legal & finance", [
        "Contract drafting", "Intellectual property", "GDPR compliance", "Bookkeeping",
        "Tax advice", "Financial modelling", "Payroll", "Company formation",
    ]),
    ("Training", [
        "Corporate training", "Workshop facilitation", "E-learning design", "Coaching",
        "Language teaching", "Technical training",
    ]),
    ("Problem solving", [
        "Root cause analysis", "Process improvement", "Lean manufacturing", "Six Sigma",
        "Business consulting",
    ]),
]

LANGUAGES = [
    ("ar", "Arabic"), ("zh", "Chinese"), ("cs", "Czech"), ("da", "Danish"), ("nl", "Dutch"),
    ("en", "English"), ("fi", "Finnish"), ("fr", "French"), ("de", "German"), ("el", "Greek"),
    ("hi", "Hindi"), ("hu", "Hungarian"), ("it", "Italian"), ("ja", "Japanese"),
    ("ko", "Korean"), ("no", "Norwegian"), ("pl", "Polish"), ("pt", "Portuguese"),
    ("ro", "Romanian"), ("ru", "Russian"), ("es", "Spanish"), ("sv", "Swedish"),
    ("tr", "Turkish"), ("uk", "Ukrainian"),
]


def _slug(name):
    return slugify(name.replace("+", " plus ").replace("/", " ").replace(".", " "))


def load(apps, schema_editor):
    SkillCategory = apps.get_model("accounts", "SkillCategory")
    Skill = apps.get_model("accounts", "Skill")
    Language = apps.get_model("accounts", "Language")
    for position, (category_name, skills) in enumerate(TAXONOMY, start=1):
        category, _ = SkillCategory.objects.update_or_create(
            slug=_slug(category_name), defaults={"name": category_name, "position": position}
        )
        for name in skills:
            Skill.objects.update_or_create(
                slug=_slug(name), defaults={"name": name, "category": category}
            )
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_profiles"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
