"""The German catalogue is complete, every template sentence is marked for translation, and the
main pages rendered in German for each role do not mix in English interface text."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Skill, SkillCategory
from tests.factories import ExpertProfileFactory
from tests.workspaces.factories import ClientFactory, ExpertFactory, make_workspace, milestone_at

REPO = Path(settings.BASE_DIR)
PO = REPO / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
TEMPLATES = REPO / "templates"

# Pages whose German is not finished yet, each with the reason. Empty: every main page is done.
NOT_YET_TRANSLATED: dict[str, str] = {}

# English words that never belong to a German interface sentence (data is stripped first).
ENGLISH_WORDS = {
    "the", "your", "you", "and", "with", "this", "is", "are", "has", "have", "not",
    "for", "from", "will", "of", "to", "yet", "be", "when", "what",
}  # fmt: skip


def _entries() -> list[dict[str, object]]:
    """(msgctxt, msgid, msgstrs, flags) of each entry of the German catalogue, header excluded."""
    entries, current, key = [], None, None
    for raw in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current and current["msgid"]:
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"msgid": "", "msgstr": {}, "flags": set(), "msgctxt": None}
        if line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            key, text = match.groups()
        else:
            text = line[1:-1]
        text = text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if key.startswith("msgstr"):
            current["msgstr"][key] = current["msgstr"].get(key, "") + text
        else:
            current[key] = (current.get(key) or "") + text
    return entries


def test_german_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = _entries()
    missing = [
        entry["msgid"]
        for entry in entries
        if "fuzzy" in entry["flags"] or not all(entry["msgstr"].values()) or not entry["msgstr"]
    ]

    assert len(entries) > 1000  # the whole interface, not a sample
    assert missing == []


def test_compiled_catalogue_is_up_to_date():
    assert MO.exists(), "run `make install` (it compiles the translations)"
    assert MO.stat().st_mtime >= PO.stat().st_mtime, "run `make install` to recompile"


def _untranslated_template_text(source: str) -> list[str]:
    """Text a template shows that is outside {% translate %} / {% blocktranslate %}."""
    for pattern in (
        r"\{% *comment *%\}.*?\{% *endcomment *%\}",
        r"\{% *blocktranslate.*?\{% *endblocktranslate *%\}",
        r"<script.*?</script>",
        r"<style.*?</style>",
        r"<!--.*?-->",
        r"\{%.*?%\}",
        r"\{\{.*?\}\}",
        r"\{#.*?#\}",
    ):
        source = re.sub(pattern, " ", source, flags=re.DOTALL)
    texts = []
    for attr in re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', source):
        texts.append(attr)
    texts += re.split(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", source)
    found = []
    for text in texts:
        words = re.sub(r"&[a-zA-Z#0-9]+;", " ", text)
        if re.search(r"[A-Za-z]{2,}", words) and not re.fullmatch(r"\s*[a-z0-9_-]+\s*", words):
            found.append(" ".join(words.split()))
    return found


def test_every_template_sentence_is_marked_for_translation():
    offenders = {}
    for path in sorted([*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt")]):
        name = str(path.relative_to(TEMPLATES))
        if name.startswith("admin/") or name in NOT_YET_TRANSLATED:
            continue  # Django's admin is for staff and ships its own German
        found = _untranslated_template_text(path.read_text(encoding="utf-8"))
        if found:
            offenders[name] = found

    assert offenders == {}


def test_template_scanner_finds_unmarked_text():
    source = '<p>{% translate "Saved" %}</p><h1>Find a Project</h1><a aria-label="Close">x</a>'

    assert _untranslated_template_text(source) == ["Close", "Find a Project"]


# --- pages rendered in German ------------------------------------------------------------------


def _visible_text(content: str) -> str:
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.DOTALL)
    attributes = " ".join(re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', content))
    text = re.sub(r"<[^>]+>", " ", content)
    return " ".join(html.unescape(f"{text} {attributes}").split())


def _english_in(text: str, data: list[str]) -> list[str]:
    """English interface text in a German page: catalogue sentences and English words."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    found = []
    for entry in _entries():
        msgid = str(entry["msgid"])
        if len(msgid.split()) < 3 or entry["msgstr"].get("msgstr") == msgid:
            continue
        for fragment in re.split(r"%\(\w+\)s|\{\w*\}|<[^>]+>", msgid):
            if len(fragment.split()) >= 3 and fragment.strip() in text:
                found.append(fragment.strip())
    for match in re.finditer(r"[A-Za-z]+", text):
        if match.group().lower() in ENGLISH_WORDS:  # shown with its context, to find it quickly
            found.append(text[max(0, match.start() - 40) : match.end() + 40])
    return found


def _data_strings(*objects: object) -> list[str]:
    """Text that comes from the data (taxonomy, names, titles), not from the interface."""
    from accounts.countries import COUNTRIES
    from accounts.models import ExpertProfile, Language
    from projects.models import ProjectTemplate

    values = [*SkillCategory.objects.values_list("name", flat=True)]
    values += [*Language.objects.values_list("name", flat=True)]
    for template in ProjectTemplate.objects.all():
        values += [template.title, template.summary, template.name, template.description]
    for profile in ExpertProfile.objects.all():
        values += [profile.headline, profile.bio]
    values += [str(name) for _code, name in COUNTRIES]
    values += [*Skill.objects.values_list("name", flat=True)]
    for obj in objects:
        for field in ("name", "email", "display_name", "title", "description", "proposal"):
            value = getattr(obj, field, None)
            if isinstance(value, str) and value:
                values.append(value)
    # Markdown is shown rendered: compare with the text without its markup.
    values += [value.replace("**", "") for value in values if value and "**" in value]
    return [value for value in values if value]


@pytest.fixture
def scene(db, settings):
    settings.PROJECT_MODERATION = "off"
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Both chose German before anything happened, so their notifications are written in German.
    owner, expert = ClientFactory(language="de"), ExpertFactory(language="de")
    ExpertProfileFactory(user=expert, headline="Logo-Gestaltung", bio="Ich gestalte Logos.")
    workspace = make_workspace(30_000, 20_000, owner=owner, expert=expert)
    contract = workspace.contract
    milestone = milestone_at(workspace, "start_requested")
    return {"workspace": workspace, "contract": contract, "milestone": milestone}


def _pages(scene: dict) -> dict[str, list[tuple[str, str]]]:
    workspace, contract, milestone = scene["workspace"], scene["contract"], scene["milestone"]
    project = contract.project
    bid = contract.bid
    return {
        "anonymous": [
            ("home", reverse("home")),
            ("login", reverse("account_login")),
            ("signup", reverse("account_signup")),
            ("find a project", reverse("projects:find")),
            ("find a freelancer", reverse("projects:find_freelancer")),
            ("project page", project.get_absolute_url()),
            (
                "expert profile",
                reverse("accounts:expert_detail", args=[contract.expert.expert_profile.pk]),
            ),
        ],
        "client": [
            ("home", reverse("home")),
            ("dashboard", reverse("dashboard")),
            ("post a project", reverse("projects:post")),
            ("my projects", reverse("projects:mine")),
            ("project page", project.get_absolute_url()),
            ("bids", reverse("bids:project_bids", args=[project.pk])),
            ("bid", reverse("bids:detail", args=[bid.pk])),
            ("contract", reverse("bids:contract", args=[contract.pk])),
            ("workspace", workspace.get_absolute_url()),
            ("pay page", reverse("workspaces:start", args=[workspace.pk, milestone.pk])),
            ("balance", reverse("escrow:balance")),
            ("statement", reverse("escrow:statement")),
            ("receipts", reverse("escrow:receipts")),
            ("top up", reverse("escrow:top_up")),
            ("notifications", reverse("notifications:list")),
            ("email preferences", reverse("notifications:preferences")),
            ("messages", reverse("messaging:inbox")),
            ("language", reverse("accounts:language")),
            ("email addresses", reverse("account_email")),
            ("profile", reverse("accounts:client_edit")),
            ("services", reverse("bookings:catalogue")),
            ("bookings", reverse("bookings:mine")),
            ("reviews", reverse("reviews:mine")),
        ],
        "expert": [
            ("dashboard", reverse("dashboard")),
            ("find a project", reverse("projects:find")),
            ("my bids", reverse("bids:mine")),
            ("bid", reverse("bids:detail", args=[bid.pk])),
            ("workspace", workspace.get_absolute_url()),
            ("balance", reverse("escrow:balance")),
            ("withdraw", reverse("escrow:withdraw")),
            ("notifications", reverse("notifications:list")),
            ("messages", reverse("messaging:inbox")),
            ("profile editor", reverse("accounts:expert_edit")),
            ("my services", reverse("bookings:my_listings")),
            ("leads", reverse("leads:inbox")),
            ("lead criteria", reverse("leads:criteria")),
        ],
    }


@pytest.mark.parametrize("role", ["anonymous", "client", "expert"])
def test_main_pages_in_german_do_not_mix_languages(client, scene, role):
    contract = scene["contract"]
    if role != "anonymous":
        client.force_login(getattr(contract, role))
    data = _data_strings(
        contract.client, contract.expert, contract.project, contract.bid, scene["milestone"]
    )
    data += [str(m.title) for m in scene["workspace"].milestones.all()]

    mixed = {}
    for name, url in _pages(scene)[role]:
        if name in NOT_YET_TRANSLATED:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 200, (name, response.status_code)
        assert '<html lang="de">' in response.content.decode()
        found = _english_in(_visible_text(response.content.decode()), data)
        if found:
            mixed[name] = found

    assert mixed == {}, mixed


def test_mixing_check_finds_english_sentences():
    with translation.override("de"):
        text = "Angebote vergleichen · Describe the work, set a budget and experts will bid."

    assert _english_in(text, []) != []


def test_builds_compile_the_translations_and_never_commit_them():
    dockerfile = (REPO / "Dockerfile").read_text()
    makefile = (REPO / "Makefile").read_text()
    ci = (REPO / ".ci" / "run").read_text()

    assert "gettext" in dockerfile
    assert "manage.py compilemessages" in dockerfile
    assert "compilemessages" in makefile
    assert "makemessages --locale de --domain django " in makefile
    assert "makemessages --locale de --domain djangojs" in makefile
    assert "apt-get install -y -q gettext" in ci
    assert "*.mo" in (REPO / ".gitignore").read_text().split()
