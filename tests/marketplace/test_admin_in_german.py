"""The Django admin in German: every model of our apps is named, and every staff action, column
and button described, in German; every changelist and a change page per model open in German."""

import io
from typing import Any

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.text import capfirst

from bids.models import Contract
from bookings.models import Booking, BookingRequest
from escrow.admin import shown_note
from escrow.models import Account, Entry, HeldFunds, HeldFundsEvent, LedgerTransaction
from leads import services as lead_services
from leads.models import CreditRequest, LeadCriteria, LeadPurchase
from leads.services.credits import request_credit
from marketplace.formats import shown_date
from notifications.kinds import label_for
from notifications.models import EmailPreference
from projects import services as project_services
from projects.models import DigestPreference, Invitation
from projects.services.digest import set_digest_frequency
from reviews.models import Reputation, Review, ReviewPeriod, ReviewReport
from reviews.services import report_review
from tests.bookings.factories import paid_booking
from tests.factories import ExpertFactory, ExpertProfileFactory, SkillFactory, StaffFactory
from tests.leads.factories import LeadCriteriaFactory, MandateFactory, ProviderFactory
from tests.marketplace.test_translations import _entries
from tests.marketplace.test_verbose_names import APPS as MODEL_APPS
from tests.notifications.factories import EmailPreferenceFactory
from tests.projects.factories import make_open_project
from tests.reviews.factories import completed_contract, review
from tests.workspaces.factories import make_workspace, milestone_at, top_up
from workspaces import services as workspace_services
from workspaces.models import Delivery, Dispute, Workspace

pytestmark = pytest.mark.django_db

APPS = {*MODEL_APPS, "marketplace"}


def _translated() -> set[tuple[str | None, str]]:
    """(context, msgid) of every entry the German catalogue translates."""
    return {
        (entry["msgctxt"], entry["msgid"])
        for entry in _entries()
        if entry["msgstr"] and all(entry["msgstr"].values())
    }


def _untranslated(texts: dict[str, Any]) -> list[str]:
    """The names in `texts` (where -> text) that a German reader would see in English: a plain
    string, or a lazy one the catalogue has no German for (German may equal English, e.g.
    "Person", only when the catalogue says so)."""
    catalogue = _translated()
    missing = []
    for where, text in texts.items():
        if not isinstance(text, Promise):
            missing.append(f"{where}: {text!r} is not marked for translation")
            continue
        with translation.override("en"):
            english = str(text)
        with translation.override("de"):
            german = str(text)
        context = text._args[0] if len(text._args) == 2 else None  # type: ignore[attr-defined]
        if german == english and (context, english) not in catalogue:
            missing.append(f"{where}: {english!r}")
    return missing


def _our_models() -> list[type]:
    from django.apps import apps

    return [model for model in apps.get_models() if model._meta.app_label in APPS]


def _our_admins() -> list[tuple[type, admin.ModelAdmin]]:
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in APPS]


def test_every_model_of_our_apps_has_a_german_name():
    names = {}
    for model in _our_models():
        names[f"{model.__name__} verbose_name"] = model._meta.verbose_name
        names[f"{model.__name__} verbose_name_plural"] = model._meta.verbose_name_plural

    assert _untranslated(names) == []


def test_every_app_of_ours_has_a_german_name():
    from django.apps import apps

    names = {
        config.label: config.verbose_name
        for config in apps.get_app_configs()
        if config.label in APPS - {"marketplace"}  # "Guildhall" is a name, the same in German
    }

    assert _untranslated(names) == []


def _shown_callables(model_admin: admin.ModelAdmin) -> list[str]:
    names = [*model_admin.list_display, *model_admin.readonly_fields]
    names += [name for name in (model_admin.fields or ()) if isinstance(name, str)]
    # "__str__" is headed with the model's own (tested) name.
    return [n for n in names if n != "__str__" and callable(getattr(model_admin, n, None))]


def test_every_admin_action_column_button_and_fieldset_is_described_in_german():
    texts: dict[str, Any] = {}
    for _model, model_admin in _our_admins():
        where = type(model_admin).__name__
        for name in model_admin.actions or ():
            texts[f"{where}.{name}"] = getattr(model_admin, name).short_description
        for name in _shown_callables(model_admin):
            texts[f"{where}.{name}"] = getattr(model_admin, name).short_description
        for title, _options in model_admin.fieldsets or ():
            if title is not None:
                texts[f"{where} fieldset"] = title
        for label in ("accept_label", "refuse_label", "refusal_help"):
            if hasattr(model_admin, label):
                texts[f"{where}.{label}"] = getattr(model_admin, label)

    assert len(texts) > 30  # every app's actions, not a sample
    assert _untranslated(texts) == []


def _model_columns(model: type, model_admin: Any) -> dict[str, Any]:
    """The columns an admin or inline shows that are neither fields (named by their verbose
    name) nor the admin's own methods (checked above): the model's properties and methods,
    headed by their admin.display description (else by their English attribute name)."""
    names = [*getattr(model_admin, "list_display", ()), *model_admin.readonly_fields]
    names += [name for name in (model_admin.fields or ()) if isinstance(name, str)]
    field_names = {field.name for field in model._meta.get_fields()}
    columns = {}
    for name in names:
        if name in field_names or name in {"__str__", "pk", "id"} or hasattr(model_admin, name):
            continue
        attr = getattr(model, name, None)
        if isinstance(attr, property):
            attr = attr.fget
        columns[f"{model.__name__}.{name}"] = getattr(attr, "short_description", name)
    return columns


def test_every_model_column_of_an_admin_or_inline_is_headed_in_german():
    texts: dict[str, Any] = {}
    for model, model_admin in _our_admins():
        texts |= _model_columns(model, model_admin)
        for inline in model_admin.inlines:
            texts |= _model_columns(inline.model, inline)

    assert len(texts) >= 8  # the history rows' "what happened" and statuses, among others
    assert _untranslated(texts) == []


def test_the_check_finds_an_english_name_and_a_missing_translation():
    from django.utils.translation import gettext_lazy

    assert _untranslated({"plain": "ledger account"}) != []
    assert _untranslated({"unknown": gettext_lazy("no German for this sentence")}) != []
    assert _untranslated({"known": gettext_lazy("ledger account")}) == []


@pytest.fixture
def staff_in_german(client):
    client.force_login(StaffFactory(is_superuser=True, language="de"))
    return client


def test_every_changelist_and_a_change_page_per_model_open_in_german(staff_in_german, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("seed_demo", stdout=io.StringIO())
    workspace = make_workspace(30_000)
    milestone_at(workspace, "in_progress")

    opened, failed = 0, []
    for model, _model_admin in _our_admins():
        meta = model._meta
        with translation.override("de"):
            plural = capfirst(str(meta.verbose_name_plural))
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = staff_in_german.get(changelist)
        if response.status_code != 200 or escape(plural) not in response.content.decode():
            failed.append(f"{changelist}: {response.status_code}")
        row = model._default_manager.order_by("pk").first()
        if row is None:
            continue
        page = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
        response = staff_in_german.get(page)
        if response.status_code != 200 or escape(plural) not in response.content.decode():
            failed.append(f"{page}: {response.status_code}")
        opened += 1

    assert failed == []
    assert opened >= 25  # the demo data and a workspace fill most tables


def test_the_admin_index_names_our_apps_in_german(staff_in_german):
    html = staff_in_german.get(reverse("admin:index")).content.decode()

    assert "Geld und Zahlungsschutz" in html
    assert "Money and payment protection" not in html
    assert "Den Marktplatz betreiben" in html
    assert "Guildhall \u2013 Team" in html


def test_held_funds_events_show_statuses_and_notes_in_german(staff_in_german, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    workspace = make_workspace(30_000)
    milestone_at(workspace, "in_progress")
    event = HeldFundsEvent.objects.get(to_status=HeldFunds.Status.FUNDED)

    html = staff_in_german.get(reverse("admin:escrow_heldfundsevent_changelist")).content.decode()

    assert event.note in {"from balance", "from card"}  # what is stored is unchanged
    assert "In Treuhand" in html
    assert "bezahlt" in html
    assert ">funded<" not in html
    assert event.note not in html


def test_held_funds_notes_the_services_write_read_as_german_sentences():
    held = HeldFunds(currency="EUR")
    notes = {
        "from card": "per Karte bezahlt",
        "to wallet": "auf das Guthaben erstattet",
        "dispute closed": "Streitfall abgeschlossen",
        "The client and expert agreed.": "The client and expert agreed.",  # typed by staff
    }

    for stored, shown in notes.items():
        with translation.override("de"):
            assert shown_note(HeldFundsEvent(held=held, note=stored)) == shown
    with translation.override("de"):
        share = shown_note(HeldFundsEvent(held=held, note="payee share 1500"))
    assert share.startswith("Anteil des Experten: ")
    assert "15" in share
    with translation.override("en"):
        assert shown_note(HeldFundsEvent(held=held, note="from card")) == "paid by card"


def test_admin_actions_answer_in_german(staff_in_german, settings):
    settings.PROJECT_MODERATION = "all"
    project = make_open_project(title="Housing")
    url = reverse("admin:projects_project_changelist")

    asked = staff_in_german.post(url, {"action": "reject", "_selected_action": [project.pk]})
    done = staff_in_german.post(
        url, {"action": "approve", "_selected_action": [project.pk]}, follow=True
    )

    assert "Nachricht an den Auftraggeber" in asked.content.decode()
    assert "1 Projekt freigegeben." in done.content.decode()


def test_a_bid_is_named_by_its_work_and_bidder_in_the_admin(staff_in_german):
    workspace = make_workspace(30_000)
    bid = workspace.contract.bid

    html = staff_in_german.get(reverse("admin:bids_bid_change", args=[bid.pk])).content.decode()

    assert f"{bid.expert.display_name} zu „{bid.project.title}“" in html
    assert f"Bid {bid.pk} on" not in html
    assert "Was geschah" in html
    assert "→ Aktiv" in html or "Aktiv →" in html


# --- Names: staff read the work and the people, in their language, never "X for <id>" ---------


def _page(client, name: str, pk: object) -> str:
    return client.get(reverse(f"admin:{name}_change", args=[pk])).content.decode()


def test_contracts_workspaces_and_disputes_are_named_by_their_work_in_german(
    staff_in_german, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    workspace = make_workspace(30_000)
    contract = workspace.contract
    milestone = milestone_at(workspace, "delivered")
    dispute = workspace_services.open_dispute(
        milestone=milestone, by=contract.client, reason="Half missing"
    )
    project, expert = contract.project.title, contract.expert.display_name

    contract_page = _page(staff_in_german, "bids_contract", contract.pk)
    workspace_page = _page(staff_in_german, "workspaces_workspace", workspace.pk)
    dispute_page = _page(staff_in_german, "workspaces_dispute", dispute.pk)
    delivery_page = _page(staff_in_german, "workspaces_delivery", milestone.deliveries.get().pk)

    assert escape(f"Vertrag: „{project}“ mit {expert}") in contract_page
    assert f"Contract for {contract.project_id}" not in contract_page
    assert escape(f"Arbeitsbereich von „{project}“") in workspace_page
    assert f"Workspace {workspace.pk}" not in workspace_page
    assert "Geliefert" in workspace_page  # the timeline's statuses, not "delivered"
    assert escape(f"Streitfall zu „{project}“ · {milestone.title}") in dispute_page
    assert f"Dispute on {milestone.pk}" not in dispute_page
    assert escape(f"Version 1 von „{project}“ · {milestone.title}") in delivery_page


def test_a_contract_and_a_dispute_are_named_in_english_for_english_staff(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(StaffFactory(is_superuser=True, language="en"))
    workspace = make_workspace(30_000)
    contract = workspace.contract
    milestone = milestone_at(workspace, "delivered")
    dispute = workspace_services.open_dispute(
        milestone=milestone, by=contract.client, reason="Half missing"
    )
    project, expert = contract.project.title, contract.expert.display_name

    contract_page = _page(client, "bids_contract", contract.pk)
    dispute_page = _page(client, "workspaces_dispute", dispute.pk)

    assert escape(f"Contract: “{project}” with {expert}") in contract_page
    assert escape(f"Dispute on “{project}” · {milestone.title}") in dispute_page


def test_a_booking_is_named_by_its_work_and_expert_in_german(staff_in_german, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    booking = paid_booking()
    project = booking.contract.project.title

    page = _page(staff_in_german, "bookings_booking", booking.pk)

    assert escape(f"Buchung: „{project}“ mit {booking.expert.display_name}") in page
    assert f"Booking {booking.pk}" not in page
    assert "Wartet auf die Plattformgebühr" in page  # its history's earlier status


def test_money_records_are_named_by_memo_amount_and_people_in_german(staff_in_german, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    workspace = make_workspace(30_000)
    milestone_at(workspace, "in_progress")
    client_user = workspace.contract.client
    held = HeldFunds.objects.get(payer=client_user)
    funding = held.fund_transaction
    wallet = Account.objects.get(user=client_user, kind=Account.Kind.WALLET)

    held_page = _page(staff_in_german, "escrow_heldfunds", held.pk)
    ledger_page = _page(staff_in_german, "escrow_ledgertransaction", funding.pk)
    account_page = _page(staff_in_german, "escrow_account", wallet.pk)

    assert escape(f"€300,00 von {client_user.display_name} an ") in held_page
    assert f"{held.reference}: " not in held_page
    with translation.override("de"):
        funding_name, day = str(funding), shown_date(funding.created_at)
    assert funding_name.startswith("Treuhänderisch verwahrt für ")
    assert funding_name.endswith(f" · {day}")
    assert escape(funding_name) in ledger_page
    assert f"#{funding.pk} (" not in ledger_page
    assert escape(f"Guthaben (verfügbar) · {client_user.display_name} · EUR") in account_page
    assert f"user:{client_user.pk}" not in account_page.split("</title>")[0]


def _bought_lead(staff, *, buyers: int = 1) -> LeadPurchase:
    """A published mandate bought by `buyers` providers (matching criteria, a balance)."""
    skill = SkillFactory()
    providers = [ProviderFactory() for _ in range(buyers)]
    for provider in providers:
        LeadCriteriaFactory(user=provider, skills=[skill])
        top_up(provider, 10_000)
    mandate = MandateFactory(created_by=staff, skills=[skill], price=5000)
    lead_services.publish_mandate(mandate=mandate, by=staff)
    purchases = [lead_services.accept_offer(mandate_id=mandate.pk, by=p) for p in providers]
    return purchases[0]


def test_referral_leads_are_named_by_mandate_and_buyer_in_german(staff_in_german, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    purchase = _bought_lead(StaffFactory())
    mandate, buyer = purchase.mandate, purchase.buyer.display_name

    purchase_page = _page(staff_in_german, "leads_leadpurchase", purchase.pk)
    mandate_page = _page(staff_in_german, "leads_mandate", mandate.pk)

    assert escape(f"„{mandate.title}“ gekauft von {buyer}") in purchase_page
    assert f"Mandate #{mandate.pk} bought by" not in purchase_page
    assert escape(f"Vermittelter Lead #{mandate.pk}: {mandate.title}") in mandate_page
    assert escape(f"„{mandate.title}“ angeboten an {buyer} (Gekauft)") in mandate_page
    assert "Veröffentlicht" in mandate_page  # the history's action and statuses, not codes
    assert ">published<" not in mandate_page


def test_project_records_are_named_by_project_and_person_in_german(staff_in_german):
    project = make_open_project(title="Housing")
    expert = ExpertFactory()
    invitation = project_services.invite_expert(project=project, expert=expert, by=project.owner)
    preference = set_digest_frequency(user=expert, frequency="daily")

    invitation_page = _page(staff_in_german, "projects_invitation", invitation.pk)
    preference_page = _page(staff_in_german, "projects_digestpreference", preference.pk)

    assert escape(f"{expert.display_name} eingeladen zu „Housing“") in invitation_page
    assert f"{expert.pk} invited to" not in invitation_page
    assert escape(f"{expert.display_name}: Täglich") in preference_page


def test_reviews_are_named_by_author_and_work_in_german(staff_in_german, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    contract = completed_contract(30_000)
    written = review(contract, contract.client, rating=4)
    title = contract.project.title

    review_page = _page(staff_in_german, "reviews_review", written.pk)
    period_page = _page(staff_in_german, "reviews_reviewperiod", contract.pk)

    assert escape(f"4★ von {contract.client.display_name} zu „{title}“") in review_page
    assert f"on contract {contract.pk}" not in review_page
    assert escape(f"Bewertungen zu „{title}“") in period_page


def test_profiles_and_email_switches_are_named_by_their_person_in_german(staff_in_german):
    profile = ExpertProfileFactory()
    switch = EmailPreferenceFactory(kind="escrow.released", email_enabled=False)

    profile_page = _page(staff_in_german, "accounts_expertprofile", profile.pk)
    switch_page = _page(staff_in_german, "notifications_emailpreference", switch.pk)

    assert escape(f"Expertenprofil von {profile.user.display_name}") in profile_page
    with translation.override("de"):
        released = str(label_for("escrow.released"))
    assert escape(f"{switch.user.display_name} erhält keine E-Mails zu „{released}“") in switch_page
    assert f"for {switch.user_id}" not in switch_page


# --- Names that follow relations cost no query per row -----------------------------------------


def _queries(client, url: str, *, rows: int | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if rows is not None:  # a changelist: it shows exactly the rows asked for
        assert response.context["cl"].result_count == rows, url
    return len(queries)


def _list_queries_grow(client, rows: dict[str, list[int]]) -> dict[str, tuple[int, int]]:
    """{changelist: (queries for one row, for all its rows)} where more rows cost more."""
    grown = {}
    for name, pks in rows.items():
        assert len(pks) >= 3, name
        url = reverse(f"admin:{name}_changelist")
        one, every = f"{url}?pk__in={pks[0]}", f"{url}?pk__in={','.join(map(str, pks))}"
        _queries(client, every)  # warm the caches a first request fills (content types…)
        counts = (_queries(client, one, rows=1), _queries(client, every, rows=len(pks)))
        if counts[1] > counts[0]:
            grown[name] = counts
    return grown


def _pks(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _disputed_workspaces(count: int) -> None:
    for _ in range(count):
        workspace = make_workspace(30_000)
        milestone = milestone_at(workspace, "delivered")
        workspace_services.open_dispute(
            milestone=milestone, by=workspace.contract.client, reason="Half missing"
        )


def test_contract_workspace_and_booking_lists_name_rows_without_a_query_each(
    staff_in_german, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _disputed_workspaces(3)
    for _ in range(3):
        paid_booking()

    rows = {
        "bids_contract": _pks(Contract.objects),
        "workspaces_workspace": _pks(Workspace.objects),
        "workspaces_dispute": _pks(Dispute.objects),
        "workspaces_delivery": _pks(Delivery.objects),
        "bookings_booking": _pks(Booking.objects),
        "bookings_bookingrequest": _pks(BookingRequest.objects),
    }

    assert _list_queries_grow(staff_in_german, rows) == {}


def test_a_workspace_page_names_its_milestones_and_timeline_without_a_query_each(
    staff_in_german, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    small, large = make_workspace(30_000), make_workspace(10_000, 10_000, 10_000)
    for workspace in (small, large):
        for index in range(workspace.milestones.count()):
            milestone_at(workspace, "delivered", index=index)
    pages = [reverse("admin:workspaces_workspace_change", args=[w.pk]) for w in (small, large)]

    _queries(staff_in_german, pages[0])  # warm the caches
    counts = [_queries(staff_in_german, page) for page in pages]

    assert counts[1] == counts[0]


def test_ledger_and_held_funds_lists_name_rows_without_a_query_each(staff_in_german, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _disputed_workspaces(3)

    rows = {
        "escrow_entry": _pks(Entry.objects),
        "escrow_heldfundsevent": _pks(HeldFundsEvent.objects),
        "escrow_heldfunds": _pks(HeldFunds.objects),
        "escrow_ledgertransaction": _pks(LedgerTransaction.objects),
    }

    assert _list_queries_grow(staff_in_german, rows) == {}


def test_review_lead_project_and_email_lists_name_rows_without_a_query_each(
    staff_in_german, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    staff = StaffFactory()
    for _ in range(3):
        contract = completed_contract(30_000)
        review(contract, contract.client)
        review(contract, contract.expert)  # both written: published, so it can be reported
        report_review(
            review=contract.reviews.get(author=contract.client),
            by=contract.expert,
            reason="Not what happened.",
        )
        purchase = _bought_lead(staff)
        request_credit(
            purchase=purchase,
            by=purchase.buyer,
            reason=CreditRequest.Reason.UNREACHABLE,
            explanation="Nobody answered.",
        )
        project = make_open_project()
        expert = ExpertFactory()
        project_services.invite_expert(project=project, expert=expert, by=project.owner)
        set_digest_frequency(user=expert, frequency="daily")
        EmailPreferenceFactory()

    rows = {
        "reviews_review": _pks(Review.objects),
        "reviews_reviewreport": _pks(ReviewReport.objects),
        "reviews_reviewperiod": _pks(ReviewPeriod.objects),
        "reviews_reputation": _pks(Reputation.objects),
        "leads_leadpurchase": _pks(LeadPurchase.objects),
        "leads_creditrequest": _pks(CreditRequest.objects),
        "leads_leadcriteria": _pks(LeadCriteria.objects),
        "projects_invitation": _pks(Invitation.objects),
        "projects_digestpreference": _pks(DigestPreference.objects),
        "notifications_emailpreference": _pks(EmailPreference.objects),
    }

    assert _list_queries_grow(staff_in_german, rows) == {}


def test_a_mandate_page_names_its_buyers_and_history_without_a_query_each(
    staff_in_german, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    staff = StaffFactory()
    mandates = [_bought_lead(staff).mandate, _bought_lead(staff, buyers=3).mandate]
    pages = [reverse("admin:leads_mandate_change", args=[m.pk]) for m in mandates]

    _queries(staff_in_german, pages[0])  # warm the caches
    counts = [_queries(staff_in_german, page) for page in pages]

    assert counts[1] == counts[0]
