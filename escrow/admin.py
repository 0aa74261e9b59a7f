"""Staff views of money: a read-only ledger, the payout queue, reconciliation reports.

Nothing here edits money directly: actions call the same services as everything else.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from escrow.exceptions import MoneyActionError
from escrow.models import (
    Account,
    BalanceAdjustment,
    Checkout,
    ConnectedAccount,
    Entry,
    GatewayEvent,
    HeldFunds,
    HeldFundsEvent,
    LedgerTransaction,
    Payout,
    PendingCredit,
    Purchase,
    ReconciliationRun,
)
from escrow.selectors import wallet_balance
from escrow.services import payouts, reconciliation
from escrow.services.adjustments import adjust_balance
from marketplace.forms import MoneyField
from marketplace.money import format_money


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Browse only: no add, change or delete (the ledger is append-only)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EntryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Entry
    fields = ("account", "amount", "currency", "balance_after", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        # Each row is named by its amount and account, and an account by its owner.
        return super().get_queryset(request).select_related("account__user")


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "reference", "user", "currency", "balance", "may_go_negative")
    list_filter = ("kind", "currency")
    search_fields = ("reference", "user__email")
    list_select_related = ("user",)
    show_full_result_count = False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "key", "memo", "cause", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("key", "cause", "memo")
    list_select_related = ("created_by",)
    inlines = (EntryInline,)
    show_full_result_count = False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "transaction", "account", "amount", "currency", "balance_after")
    list_select_related = ("transaction", "account__user")
    search_fields = ("transaction__key", "account__reference")
    show_full_result_count = False


@admin.register(HeldFunds)
class HeldFundsAdmin(ReadOnlyAdmin):
    list_display = ("reference", "payer", "payee", "amount", "fee", "status", "funded_at")
    list_filter = ("status",)
    search_fields = ("reference", "payer__email", "payee__email")
    list_select_related = ("payer", "payee")


# The notes escrow.services.held writes, as sentences in the reader's language.
NOTES = {
    "from balance": _("paid from the balance"),
    "from card": _("paid by card"),
    "to wallet": _("refunded to the balance"),
    "to card": _("refunded to the card"),
    "to chargeback": _("refunded by a chargeback"),
    "dispute closed": _("dispute closed"),
}


def shown_note(event: HeldFundsEvent) -> str:
    """An event's note in the reader's language: the notes escrow.services.held writes are
    tokens ("from card", "payee share 1500", "dispute closed") kept as stored; a reason staff
    typed is shown as typed."""
    if event.note in NOTES:
        return str(NOTES[event.note])
    share = event.note.removeprefix("payee share ")
    if share != event.note and share.isdigit():
        amount = format_money(int(share), event.held.currency)
        return gettext("expert's share: %(amount)s") % {"amount": amount}
    return event.note


def _status_label(value: str) -> str:
    return str(dict(HeldFunds.Status.choices).get(value, value))


@admin.register(HeldFundsEvent)
class HeldFundsEventAdmin(ReadOnlyAdmin):
    """The audit trail of held funds: statuses and the services' notes shown translated (the
    stored values stay the tokens the services wrote)."""

    list_display = ("held", "shown_from", "shown_to", "by", "note_shown", "created_at")
    list_select_related = ("held__payer", "held__payee", "by")  # held funds are named by both
    fields = ("held", "shown_from", "shown_to", "by", "note_shown", "created_at")
    readonly_fields = fields

    @admin.display(description=_("from status"), ordering="from_status")
    def shown_from(self, obj: HeldFundsEvent) -> str:
        return _status_label(obj.from_status) if obj.from_status else ""

    @admin.display(description=_("to status"), ordering="to_status")
    def shown_to(self, obj: HeldFundsEvent) -> str:
        return _status_label(obj.to_status)

    @admin.display(description=_("note"))
    def note_shown(self, obj: HeldFundsEvent) -> str:
        return shown_note(obj)


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "kind", "gateway", "amount", "status", "charge_ref", "created_at")
    list_filter = ("status", "kind", "gateway")
    search_fields = ("user__email", "external_id", "charge_ref")
    list_select_related = ("user",)


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "purpose", "reference", "amount", "source", "status")
    list_filter = ("status", "purpose")
    list_select_related = ("user",)


@admin.register(PendingCredit)
class PendingCreditAdmin(ReadOnlyAdmin):
    list_display = ("user", "amount", "kind", "due_at", "released_at")
    list_select_related = ("user",)


@admin.register(GatewayEvent)
class GatewayEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "gateway", "type", "received_at", "processed_at", "last_error")
    list_filter = ("gateway", "type")
    search_fields = ("event_id",)


@admin.register(ConnectedAccount)
class ConnectedAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "stripe_account_id", "payouts_enabled", "updated_at")


def _run(
    request: HttpRequest, queryset: QuerySet[Payout], action: Any, done: Callable[[int], str]
) -> None:
    """`action` on each payout; `done(count)` says how many succeeded."""
    count = 0
    for payout in queryset:
        try:
            action(payout)
        except MoneyActionError as exc:
            messages.error(
                request, gettext("Payout %(id)s: %(error)s") % {"id": payout.pk, "error": exc}
            )
        else:
            count += 1
    if count:
        messages.success(request, done(count) % {"count": count})


class PayoutCaseForm(forms.Form):
    note = forms.CharField(
        label=_("What is the case about?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "user",
        "amount",
        "currency",
        "status",
        "gateway_ref",
        "case_opened_at",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("user__email", "gateway_ref")
    list_select_related = ("user",)
    actions = ("approve", "mark_paid", "mark_failed", "open_case")

    @admin.action(description=_("Approve and send the selected withdrawals"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        _run(
            request,
            queryset,
            lambda p: payouts.approve_payout(payout_id=p.pk, by=request.user),
            lambda n: ngettext("%(count)d payout approved.", "%(count)d payouts approved.", n),
        )

    @admin.action(description=_("Mark the selected withdrawals as paid"))
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        _run(
            request,
            queryset,
            lambda p: payouts.mark_payout_paid(payout_id=p.pk, by=request.user),
            lambda n: ngettext(
                "%(count)d payout marked paid.", "%(count)d payouts marked paid.", n
            ),
        )

    @admin.action(description=_("Mark as failed and return the money to the balance"))
    def mark_failed(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        _run(
            request,
            queryset,
            lambda p: payouts.mark_payout_failed(
                payout_id=p.pk, by=request.user, reason="Refused by staff."
            ),
            lambda n: ngettext(
                "%(count)d payout returned to the balance.",
                "%(count)d payouts returned to the balance.",
                n,
            ),
        )

    @admin.action(description=_("Open a case (a note to follow up; no money moves)"))
    def open_case(
        self, request: HttpRequest, queryset: QuerySet[Payout]
    ) -> TemplateResponse | None:
        form = PayoutCaseForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            _run(
                request,
                queryset,
                lambda p: payouts.open_payout_case(
                    payout_id=p.pk, by=request.user, note=form.cleaned_data["note"]
                ),
                lambda n: ngettext(
                    "%(count)d payout flagged with a case.",
                    "%(count)d payouts flagged with a case.",
                    n,
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Open a case"),
            "form": form,
            "payouts": queryset.select_related("user"),
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "escrow/admin/open_case.html", context)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The changelist must allow actions; the change form stays read-only (no editable fields).
        return bool(request.user.is_staff) and obj is None


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "ok", "accounts_checked", "transactions_checked", "problems")
    readonly_fields = (
        "started_at",
        "finished_at",
        "ok",
        "accounts_checked",
        "transactions_checked",
        "report",
    )
    exclude = ("mismatches",)

    @admin.display(description=_("what did not match"))
    def report(self, obj: ReconciliationRun) -> str:
        if not obj.mismatches:
            return gettext(
                "Every cached balance equals its entries, every transaction sums to zero, "
                "and card clearing matches the payment provider."
            )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            (
                (
                    item.get("check", ""),
                    ", ".join(f"{k}: {v}" for k, v in item.items() if k != "check"),
                )
                for item in obj.mismatches
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("check"),
            gettext("details"),
            rows,
        )

    actions = ("run_now",)

    @admin.display(description=_("problems"))
    def problems(self, obj: ReconciliationRun) -> int:
        return len(obj.mismatches or [])

    @admin.action(description=_("Run a reconciliation now"))
    def run_now(self, request: HttpRequest, queryset: QuerySet[ReconciliationRun]) -> None:
        run = reconciliation.run_reconciliation()
        level = messages.SUCCESS if run.ok else messages.WARNING
        count = len(run.mismatches)
        messages.add_message(
            request,
            level,
            ngettext(
                "Reconciliation finished with %(count)d problem.",
                "Reconciliation finished with %(count)d problems.",
                count,
            )
            % {"count": count},
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)


class BalanceAdjustmentForm(forms.ModelForm):  # type: ignore[type-arg]
    """Who, credit or debit, how much (typed like every amount on the site) and why; a hidden
    key makes a second submission of the same form a no-op."""

    amount_text = MoneyField(
        label=_("Amount"), help_text=_("e.g. 25.00, in the platform currency.")
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = BalanceAdjustment
        fields = ("user", "direction", "reason")
        help_texts = {
            "reason": _("Shown to the person on their statement and in the notification.")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = uuid.uuid4().hex

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, amount = data.get("user"), data.get("amount_text")
        debit = data.get("direction") == BalanceAdjustment.Direction.DEBIT
        available = wallet_balance(user).available if debit and user is not None else None
        if available is not None and amount and available < amount:
            self.add_error(
                "amount_text",
                gettext("The balance is lower than this debit: %(available)s available.")
                % {"available": format_money(available, settings.PLATFORM_CURRENCY)},
            )
        return data


@admin.register(BalanceAdjustment)
class BalanceAdjustmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The report of every hand-made credit and debit, and the form that makes one (through
    escrow.services.adjust_balance: ledger posting, staff member recorded, user told)."""

    form = BalanceAdjustmentForm
    list_display = ("created_at", "user", "direction", "shown_amount", "reason", "by")
    list_filter = ("direction", "by", "created_at")
    date_hierarchy = "created_at"
    search_fields = ("user__email", "user__name", "reason")
    list_select_related = ("user", "by")
    autocomplete_fields = ("user",)
    show_full_result_count = False

    @admin.display(description=_("Amount"), ordering="amount")
    def shown_amount(self, obj: BalanceAdjustment) -> str:
        return format_money(obj.amount, obj.currency)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return (
                "user",
                "direction",
                "shown_amount",
                "reason",
                "by",
                "transaction",
                "created_at",
            )
        return ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return self.get_readonly_fields(request, obj)
        return ("user", "direction", "amount_text", "reason", "key")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # a made adjustment is corrected by another one, never edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            made = adjust_balance(
                user=data["user"],
                by=request.user,
                direction=data["direction"],
                amount=data["amount_text"],
                reason=data["reason"],
                key=data["key"],
            )
        except MoneyActionError as error:
            raise AdjustmentRefused(str(error)) from error
        obj.pk = made.pk
        obj.__dict__.update(made.__dict__)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> Any:
        try:
            return super().add_view(request, form_url, extra_context)
        except AdjustmentRefused as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.get_full_path())


class AdjustmentRefused(Exception):  # noqa: N818 -- a refusal, as in the domain errors
    """The service refused the adjustment; the add page says why."""
