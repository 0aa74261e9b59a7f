"""German names for the seeded taxonomy (0004_taxonomy_data). A name German writes the same way
("Python", "SEO", "Coaching") is left blank: blank shows the English name. Entries staff have
already named in German are left as they are; going back clears only the names set here."""

from django.db import migrations

CATEGORIES = {
    "Writing & translation": "Texte & Übersetzung",
    "Engineering": "Ingenieurwesen",
    "Legal & finance": "Recht & Finanzen",
    "Training": "Schulung & Training",
    "Problem solving": "Problemlösung",
}

SKILLS = {
    # Software
    "Data engineering": "Data Engineering",
    "Machine learning": "Maschinelles Lernen",
    "Data analysis": "Datenanalyse",
    "Web scraping": "Web-Scraping",
    "QA and test automation": "Qualitätssicherung und Testautomatisierung",
    "Embedded systems": "Eingebettete Systeme",
    # Design
    "Logo design": "Logodesign",
    "Web design": "Webdesign",
    "Brand identity": "Markenidentität",
    "Packaging design": "Verpackungsdesign",
    "Print design": "Printdesign",
    "Motion graphics": "Motion Graphics",
    "3D rendering": "3D-Rendering",
    "Presentation design": "Präsentationsdesign",
    # Writing & translation
    "Technical translation EN-DE": "Fachübersetzung EN-DE",
    "Technical translation EN-FR": "Fachübersetzung EN-FR",
    "Legal translation": "Juristische Übersetzung",
    "Copywriting": "Werbetexte",
    "Technical writing": "Technische Dokumentation",
    "Proofreading": "Korrektorat",
    "Editing": "Lektorat",
    "Localisation": "Lokalisierung",
    "Subtitling": "Untertitelung",
    # Engineering
    "Injection moulding": "Spritzguss",
    "Mould design": "Werkzeugkonstruktion",
    "Plastics engineering": "Kunststofftechnik",
    "FEA": "FEM-Berechnung",
    "Mould flow analysis": "Füllsimulation",
    "Product design": "Produktdesign",
    "Rapid prototyping": "Rapid Prototyping",
    "Materials selection": "Werkstoffauswahl",
    "Quality engineering": "Qualitätstechnik",
    "Failure analysis": "Schadensanalyse",
    "Electrical engineering": "Elektrotechnik",
    "PCB design": "Leiterplattendesign",
    # Marketing
    "Paid ads": "Bezahlte Anzeigen",
    "Content strategy": "Content-Strategie",
    "Social media marketing": "Social-Media-Marketing",
    "Email marketing": "E-Mail-Marketing",
    "Market research": "Marktforschung",
    "Marketing analytics": "Marketing-Analyse",
    "Public relations": "Öffentlichkeitsarbeit",
    # Legal & finance
    "Contract drafting": "Vertragsgestaltung",
    "Intellectual property": "Geistiges Eigentum",
    "GDPR compliance": "DSGVO-Konformität",
    "Bookkeeping": "Buchhaltung",
    "Tax advice": "Steuerberatung",
    "Financial modelling": "Finanzmodellierung",
    "Payroll": "Lohnabrechnung",
    "Company formation": "Unternehmensgründung",
    # Training
    "Corporate training": "Firmenschulungen",
    "Workshop facilitation": "Workshop-Moderation",
    "E-learning design": "E-Learning-Konzeption",
    "Language teaching": "Sprachunterricht",
    "Technical training": "Technische Schulungen",
    # Problem solving
    "Root cause analysis": "Ursachenanalyse",
    "Process improvement": "Prozessoptimierung",
    "Lean manufacturing": "Lean Manufacturing",
    "Business consulting": "Unternehmensberatung",
}

LANGUAGES = {
    "ar": "Arabisch", "zh": "Chinesisch", "cs": "Tschechisch", "da": "Dänisch",
    "nl": "Niederländisch", "en": "Englisch", "fi": "Finnisch", "fr": "Französisch",
    "de": "Deutsch", "el": "Griechisch", "hu": "Ungarisch", "it": "Italienisch",
    "ja": "Japanisch", "ko": "Koreanisch", "no": "Norwegisch", "pl": "Polnisch",
    "pt": "Portugiesisch", "ro": "Rumänisch", "ru": "Russisch", "es": "Spanisch",
    "sv": "Schwedisch", "tr": "Türkisch", "uk": "Ukrainisch",
}  # fmt: skip


def _tables(apps):
    return (
        (apps.get_model("accounts", "SkillCategory"), "name", CATEGORIES),
        (apps.get_model("accounts", "Skill"), "name", SKILLS),
        (apps.get_model("accounts", "Language"), "code", LANGUAGES),
    )


def name_in_german(apps, schema_editor):
    for model, key, names in _tables(apps):
        for value, german in names.items():
            model.objects.filter(**{key: value}, name_de="").update(name_de=german)


def forget_german_names(apps, schema_editor):
    for model, key, names in _tables(apps):
        for value, german in names.items():
            model.objects.filter(**{key: value}, name_de=german).update(name_de="")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_taxonomy_german_names"),
    ]

    operations = [
        migrations.RunPython(name_in_german, forget_german_names),
    ]
