"""Demo accounts and profiles for `manage.py seed_demo` (demo data only; idempotent)."""

import io
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from accounts import services
from accounts.models import (
    ClientProfile,
    CompanyProfile,
    Experience,
    ExpertProfile,
    Language,
    PortfolioItem,
    Qualification,
    Skill,
    User,
)

DEMO_PASSWORD = "guildhall-demo"  # noqa: S105 - documented demo-only password
STAFF_EMAIL = "staff@guildhall.example"


@dataclass
class DemoExpert:
    email: str
    name: str
    colour: str
    headline: str
    bio: str
    country: str
    city: str
    skills: list[tuple[str, str, int]]
    languages: list[tuple[str, str]]
    qualifications: list[tuple[str, str, str, int]]
    experience: list[tuple[str, str, int, int | None, str]]
    portfolio: list[tuple[str, str, str]]
    hourly_rate: int | None = None
    rate_range: tuple[int, int] | None = None
    company: dict[str, str] = field(default_factory=dict)
    language: str = ""  # the interface language saved on the account ("" follows the browser)


EXPERTS = [
    DemoExpert(
        email="priya@guildhall.example",
        name="Priya Raman",
        colour="#0f7567",
        headline="Senior Python and Django engineer",
        bio=(
            "I build and rescue Django applications: clean domain models, fast PostgreSQL "
            "queries and deployments that do not wake anyone up at night.\n\n"
            "Twelve years in Python, the last eight on marketplaces and payment flows. I write "
            "tests first, document what I hand over, and give a weekly written status."
        ),
        country="PT",
        city="Lisbon",
        hourly_rate=9500,
        skills=[
            ("Python", "expert", 12),
            ("Django", "expert", 9),
            ("PostgreSQL", "expert", 8),
            ("DevOps", "intermediate", 5),
            ("AWS", "intermediate", 4),
        ],
        languages=[("English", "fluent"), ("Portuguese", "conversational"), ("Hindi", "native")],
        qualifications=[
            ("certification", "AWS Certified Solutions Architect, Associate", "Amazon", 2022),
            ("education", "BSc Computer Science", "University of Hyderabad", 2012),
        ],
        experience=[
            (
                "Lead backend engineer",
                "Fintech scale-up",
                2019,
                None,
                "Payments ledger, escrow and payouts for 40,000 merchants.",
            ),
            ("Python developer", "Travel platform", 2014, 2019, "Search and pricing APIs."),
        ],
        portfolio=[
            (
                "Escrow ledger for a services marketplace",
                "Double-entry ledger, idempotent payouts; no reconciliation gaps in two years.",
                "https://example.com/case-studies/ledger",
            ),
            (
                "Django 2 to 5 upgrade",
                "Upgraded a 300k-line monolith with no downtime, in six weekly releases.",
                "",
            ),
        ],
    ),
    DemoExpert(
        email="lukas@guildhall.example",
        name="Lukas Brandt",
        language="de",
        colour="#1d4f91",
        headline="Injection moulding and mould design engineer",
        bio=(
            "Plastics engineer with 15 years on the shop floor and in tool rooms. I design "
            "moulds, run mould-flow studies and find the root cause of sink marks, warpage and "
            "short shots before they cost you another tool change."
        ),
        country="DE",
        city="Stuttgart",
        rate_range=(8000, 12000),
        skills=[
            ("Injection moulding", "expert", 15),
            ("Mould design", "expert", 12),
            ("Plastics engineering", "expert", 15),
            ("CAD (SolidWorks)", "expert", 10),
            ("Mould flow analysis", "expert", 8),
            ("Failure analysis", "intermediate", 6),
        ],
        languages=[("German", "native"), ("English", "fluent")],
        qualifications=[
            ("education", "Dipl.-Ing. Kunststofftechnik", "Hochschule Aalen", 2009),
            ("certification", "Certified Moldflow Analyst", "Autodesk", 2016),
        ],
        experience=[
            ("Independent consultant", "", 2018, None, "Defect analysis and tool design."),
            (
                "Tooling engineer",
                "Automotive supplier",
                2009,
                2018,
                "Multi-cavity hot-runner tools.",
            ),
        ],
        portfolio=[
            (
                "Warpage fix for a PA66-GF30 housing",
                "Gate relocation and cooling redesign cut warpage from 1.2 mm to 0.2 mm.",
                "",
            ),
        ],
        company={
            "legal_name": "Brandt Tooling Engineering GmbH",
            "registration_number": "HRB 771204",
            "industry": "Tooling and plastics engineering",
        },
    ),
    DemoExpert(
        email="sofia@guildhall.example",
        name="Sofía Marín",
        colour="#b42318",
        headline="Brand identity and UI/UX designer",
        bio=(
            "I help young companies look as good as they are: logos, brand systems and product "
            "interfaces that people enjoy using. Every project starts with a short workshop and "
            "ends with a brand book your team can actually follow."
        ),
        country="ES",
        city="Barcelona",
        hourly_rate=6500,
        skills=[
            ("Brand identity", "expert", 9),
            ("Logo design", "expert", 10),
            ("UI/UX", "expert", 7),
            ("Illustration", "intermediate", 5),
            ("Packaging design", "intermediate", 3),
        ],
        languages=[("Spanish", "native"), ("English", "fluent"), ("French", "conversational")],
        qualifications=[("education", "BA Graphic Design", "Escola Massana", 2014)],
        experience=[
            ("Freelance designer", "", 2017, None, "Brands for 60+ startups and studios."),
            ("Designer", "Branding agency", 2014, 2017, ""),
        ],
        portfolio=[
            ("Identity for a coffee roaster", "Logo, packaging and shop signage.", ""),
            ("Banking app redesign", "Onboarding flow that lifted completion by 23%.", ""),
        ],
    ),
    DemoExpert(
        email="anna@guildhall.example",
        name="Anna Kowalczyk",
        colour="#8a5300",
        headline="Technical translator EN-DE-PL (engineering, legal)",
        bio=(
            "Sworn translator for German and Polish. I translate manuals, specifications and "
            "contracts for machine builders and their lawyers, with a terminology base per client."
        ),
        country="PL",
        city="Kraków",
        hourly_rate=4500,
        skills=[
            ("Technical translation EN-DE", "expert", 11),
            ("Legal translation", "expert", 8),
            ("Proofreading", "expert", 11),
            ("Localisation", "intermediate", 4),
        ],
        languages=[("Polish", "native"), ("German", "fluent"), ("English", "fluent")],
        qualifications=[
            ("certification", "Sworn translator of German", "Ministry of Justice", 2015),
            ("education", "MA Applied Linguistics", "Jagiellonian University", 2012),
        ],
        experience=[("Freelance translator", "", 2013, None, "3 million words delivered.")],
        portfolio=[("Operating manual, 240 pages", "Packaging machine, EN to DE and PL.", "")],
    ),
    DemoExpert(
        email="tunde@guildhall.example",
        name="Tunde Okafor",
        colour="#5b2fa8",
        headline="Mobile developer: iOS, Android and React Native",
        bio=(
            "I ship mobile apps from first prototype to the stores, and keep them there. Swift, "
            "Kotlin and React Native; offline-first sync and payments are my favourite problems."
        ),
        country="GB",
        city="London",
        hourly_rate=8500,
        skills=[
            ("iOS", "expert", 8),
            ("Android", "expert", 7),
            ("React", "intermediate", 5),
            ("TypeScript", "intermediate", 5),
        ],
        languages=[("English", "native")],
        qualifications=[("education", "MEng Software Engineering", "University of Leeds", 2016)],
        experience=[
            ("Contract mobile developer", "", 2020, None, "Apps for retail and health clients."),
            ("iOS engineer", "Ride-hailing company", 2016, 2020, ""),
        ],
        portfolio=[("Pharmacy ordering app", "4.8 stars, 200k downloads.", "")],
    ),
    DemoExpert(
        email="elena@guildhall.example",
        name="Elena Conti",
        colour="#17693f",
        headline="Corporate trainer and workshop facilitator (Lean, problem solving)",
        bio=(
            "I design and run hands-on training for production teams and their managers: Lean "
            "basics, structured problem solving and 8D reports. In person or live online, in "
            "English or Italian."
        ),
        country="IT",
        city="Milan",
        rate_range=(6000, 9000),
        skills=[
            ("Corporate training", "expert", 12),
            ("Workshop facilitation", "expert", 10),
            ("Lean manufacturing", "expert", 9),
            ("Root cause analysis", "expert", 9),
            ("E-learning design", "intermediate", 3),
        ],
        languages=[("Italian", "native"), ("English", "fluent"), ("German", "basic")],
        qualifications=[("certification", "Lean Six Sigma Black Belt", "ASQ", 2013)],
        experience=[("Trainer", "", 2014, None, "250 workshops for 40 manufacturers.")],
        portfolio=[("8D problem-solving course", "Two-day course with e-learning follow-up.", "")],
    ),
]


def _user(email: str, name: str, **fields: Any) -> User:
    user, _ = User.objects.update_or_create(email=email, defaults={"name": name, **fields})
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _initials_image(name: str, colour: str) -> SimpleUploadedFile:
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    image = Image.new("RGB", (400, 400), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=170)
    draw.text((200, 200), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    slug = name.split()[0].lower()
    return SimpleUploadedFile(f"{slug}.png", buffer.getvalue(), content_type="image/png")


def _demo_pdf(title: str) -> SimpleUploadedFile:
    text = f"Demo document: {title}"
    content = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        "/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>endobj\n"
        f"4 0 obj<</Length {len(text) + 30}>>stream\nBT /F1 18 Tf 60 760 Td ({text}) Tj ET\n"
        "endstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(
        f"{title}.pdf", content.encode("latin-1"), content_type="application/pdf"
    )


def _company(
    user: User, *, legal_name: str, registration_number: str, industry: str, country: str
) -> CompanyProfile:
    company, _ = CompanyProfile.objects.get_or_create(
        user=user, defaults={"legal_name": legal_name}
    )
    changes = {"industry": industry, "country": country}
    if not company.legal_details_locked:
        changes |= {"legal_name": legal_name, "registration_number": registration_number}
    return services.update_company_profile(company=company, by=user, changes=changes)


def _verified(company: CompanyProfile, *, staff: User, document: str) -> CompanyProfile:
    if not company.documents.exists():
        services.add_company_document(company=company, by=company.user, upload=_demo_pdf(document))
    if company.verification_status in {"unverified", "rejected"}:
        company = services.submit_company_for_verification(company=company, by=company.user)
    if company.verification_status == "pending":
        company = services.verify_company(company=company, by=staff)
    return company


def _expert(data: DemoExpert, *, staff: User) -> User:
    account_type = "company" if data.company else "individual"
    user = _user(data.email, data.name, account_type=account_type, language=data.language)
    if not user.is_expert:
        user = services.switch_role(user=user, role="expert")
    services.ensure_profiles(user=user)
    profile = ExpertProfile.objects.get(user=user)
    rate_min, rate_max = data.rate_range or (None, None)
    profile = services.update_expert_profile(
        profile=profile,
        by=user,
        changes={
            "headline": data.headline,
            "bio": data.bio,
            "country": data.country,
            "city": data.city,
            "remote_ok": True,
            "hourly_rate": data.hourly_rate,
            "rate_min": rate_min,
            "rate_max": rate_max,
        },
    )
    skills = {
        skill.name: skill for skill in Skill.objects.filter(name__in=[s for s, _, _ in data.skills])
    }
    wanted = [
        services.SkillChoice(skill=skills[name], level=level, years=years)
        for name, level, years in data.skills
    ]
    current = [(s.skill_id, s.level, s.years) for s in profile.skills.order_by("id")]
    if current != [(c.skill.pk, c.level, c.years) for c in wanted]:
        services.set_expert_skills(profile=profile, by=user, skills=wanted)
    languages = {lang.name: lang for lang in Language.objects.all()}
    wanted_languages = [
        services.LanguageChoice(language=languages[name], level=level)
        for name, level in data.languages
    ]
    current_languages = [(x.language_id, x.level) for x in profile.languages.order_by("id")]
    if current_languages != [(c.language.pk, c.level) for c in wanted_languages]:
        services.set_expert_languages(profile=profile, by=user, languages=wanted_languages)
    for kind, title, institution, year in data.qualifications:
        if not Qualification.objects.filter(profile=profile, title=title).exists():
            services.add_qualification(
                profile=profile, by=user, kind=kind, title=title, institution=institution, year=year
            )
    for title, organisation, start, end, description in data.experience:
        if not Experience.objects.filter(profile=profile, title=title).exists():
            services.add_experience(
                profile=profile,
                by=user,
                title=title,
                organisation=organisation,
                start_year=start,
                end_year=end,
                description=description,
            )
    for title, description, url in data.portfolio:
        if not PortfolioItem.objects.filter(profile=profile, title=title).exists():
            services.add_portfolio_item(
                profile=profile, by=user, title=title, description=description, url=url
            )
    if not profile.avatar:
        services.set_avatar(profile=profile, by=user, image=_initials_image(data.name, data.colour))
    if data.company:
        company = _company(user, country=data.country, **data.company)
        _verified(company, staff=staff, document="Commercial register extract")
    return user


def seed(*, stdout: Any = None) -> list[tuple[str, str]]:
    staff = _user(STAFF_EMAIL, "Sam Staff", is_staff=True, is_superuser=True)
    logins = [(STAFF_EMAIL, "staff: the admin at /admin/ and staff pages")]

    client = _user("hannah@guildhall.example", "Hannah Berger", account_type="individual")
    if not client.is_client:
        services.register_account(
            user=client, name=client.name, role="client", account_type="individual"
        )
    profile = ClientProfile.objects.get(user=client)
    services.update_client_profile(
        profile=profile,
        by=client,
        changes={
            "country": "AT",
            "city": "Vienna",
            "about": "I run a small online shop for outdoor gear and hire for design and web work.",
        },
    )
    logins.append((client.email, "client, individual"))

    # Jonas and Lukas read Guildhall in German (saved on their accounts): pages, notifications.
    nordlicht = _user(
        "jonas@guildhall.example", "Jonas Weber", account_type="company", language="de"
    )
    if not nordlicht.is_client:
        services.register_account(
            user=nordlicht,
            name=nordlicht.name,
            role="client",
            account_type="company",
            legal_name="Nordlicht Plastics GmbH",
            language="de",
        )
    company = _company(
        nordlicht,
        legal_name="Nordlicht Plastics GmbH",
        registration_number="HRB 145872 (Amtsgericht Hamburg)",
        industry="Injection-moulded technical parts",
        country="DE",
    )
    services.update_company_profile(
        company=company,
        by=nordlicht,
        changes={
            "website": "https://nordlicht-plastics.example",
            "address": "Am Kunststoffwerk 12\n21079 Hamburg\nGermany",
            "about": (
                "Family-owned moulder of technical parts for the automotive and medical "
                "industries since 1987: 60 machines from 50 to 800 tonnes."
            ),
        },
    )
    _verified(company, staff=staff, document="Handelsregisterauszug")
    logins.append(
        (nordlicht.email, "client, verified company Nordlicht Plastics GmbH (German interface)")
    )

    atelier = _user("camille@guildhall.example", "Camille Laurent", account_type="company")
    if not atelier.is_client:
        services.register_account(
            user=atelier,
            name=atelier.name,
            role="client",
            account_type="company",
            legal_name="Atelier Lumen SARL",
        )
    _company(
        atelier,
        legal_name="Atelier Lumen SARL",
        registration_number="",
        industry="Lighting design",
        country="FR",
    )
    logins.append((atelier.email, "client, company not yet verified"))

    for data in EXPERTS:
        expert = _expert(data, staff=staff)
        interface = " (German interface)" if data.language == "de" else ""
        logins.append((expert.email, f"expert: {data.headline}{interface}"))
    return logins


__all__ = ["DEMO_PASSWORD", "seed"]
