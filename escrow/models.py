"""The double-entry ledger and the money records around it.

Sign convention: an account's balance is what it holds. Money coming in from a card makes the
card-clearing account negative (the gateway owes it to us) and a wallet positive; every
transaction's entries sum to zero, so all balances together always sum to zero.
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from escrow import memos
from marketplace.formats import shown_date, shown_datetime
from marketplace.money import format_money


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Account(models.Model):
    class Kind(models.TextChoices):
        WALLET = "wallet", gettext_lazy("Wallet (available)")
        WALLET_PENDING = "wallet_pending", gettext_lazy("Wallet (pending)")
        ESCROW = "escrow", gettext_lazy("Held funds")
        PLATFORM_FEES = "platform_fees", gettext_lazy("Platform fees")
        PLATFORM_REVENUE = "platform_revenue", gettext_lazy("Platform sales")
        CARD_CLEARING = "card_clearing", gettext_lazy("Card clearing")
        PAYOUTS_IN_TRANSIT = "payouts_in_transit", gettext_lazy("Payouts in transit")
        PROMOTIONS = "promotions", gettext_lazy("Promotions and rewards expense")

    # Kinds whose balance may go below zero (they stand for money outside Guildhall's books).
    MAY_GO_NEGATIVE: ClassVar[frozenset[str]] = frozenset({Kind.CARD_CLEARING, Kind.PROMOTIONS})
    USER_KINDS: ClassVar[frozenset[str]] = frozenset({Kind.WALLET, Kind.WALLET_PENDING})

    kind = models.CharField(max_length=24, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=gettext_lazy("user"),
    )
    # "user:<id>" for wallets, "escrow:<reference>" for held funds, "" for platform accounts.
    reference = models.CharField(
        max_length=200, blank=True, default="", verbose_name=gettext_lazy("reference")
    )
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    may_go_negative = models.BooleanField(
        default=False, verbose_name=gettext_lazy("may go negative")
    )
    balance = models.BigIntegerField(default=0, verbose_name=gettext_lazy("balance"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("ledger account")
        verbose_name_plural = gettext_lazy("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "reference", "currency"], name="escrow_account_unique_owner"
            ),
            models.CheckConstraint(
                condition=Q(may_go_negative=True) | Q(balance__gte=0),
                name="escrow_account_no_forbidden_negative",
            ),
        ]

    def __str__(self) -> str:
        # Staff read this in the admin: a wallet by its owner's name, never "user:<id>"; a
        # platform or held-funds account by its kind (its reference is on its page).
        owner = self.user.display_name if self.user is not None else ""
        return " · ".join(part for part in (self.get_kind_display(), owner, self.currency) if part)


class LedgerTransaction(models.Model):
    class Kind(models.TextChoices):
        TOP_UP = "top_up", gettext_lazy("Top up")
        CARD_PAYMENT = "card_payment", gettext_lazy("Card payment")
        ESCROW_FUND = "escrow_fund", gettext_lazy("Funds held")
        ESCROW_RELEASE = "escrow_release", gettext_lazy("Held funds released")
        ESCROW_REFUND = "escrow_refund", gettext_lazy("Held funds refunded")
        ESCROW_SPLIT = "escrow_split", gettext_lazy("Held funds split")
        PURCHASE = "purchase", gettext_lazy("Purchase")
        DEBIT = "debit", gettext_lazy("Charge")
        CREDIT = "credit", gettext_lazy("Credit")
        REWARD = "reward", gettext_lazy("Reward")
        PENDING_RELEASE = "pending_release", gettext_lazy("Pending funds available")
        PAYOUT_REQUEST = "payout_request", gettext_lazy("Withdrawal requested")
        PAYOUT_PAID = "payout_paid", gettext_lazy("Withdrawal paid")
        PAYOUT_RETURNED = "payout_returned", gettext_lazy("Withdrawal returned")
        CARD_REFUND = "card_refund", gettext_lazy("Refund to card")
        REVERSAL = "reversal", gettext_lazy("Correction")

    kind = models.CharField(max_length=24, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    key = models.CharField(max_length=200, unique=True, verbose_name=gettext_lazy("key"))
    memo = models.CharField(
        max_length=300, blank=True, default="", verbose_name=gettext_lazy("memo")
    )
    cause = models.CharField(
        max_length=200, blank=True, default="", db_index=True, verbose_name=gettext_lazy("cause")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("created by"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=gettext_lazy("reverses"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("ledger transaction")
        verbose_name_plural = gettext_lazy("ledger transactions")
        ordering = ("-id",)

    def __str__(self) -> str:
        # The memo in the reader's language (the kind when there is none), and the day. The
        # memo names the work already; old memos with a bare reference are named on the
        # statement pages (escrow.selectors.with_labels), not here, where it would cost queries.
        what = memos.translated(self.memo) or self.get_kind_display()
        if self.created_at is None:
            return what
        return f"{what} · {shown_date(self.created_at)}"


class Entry(models.Model):
    transaction = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=gettext_lazy("transaction"),
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=gettext_lazy("account"),
    )
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    # The account's balance right after this entry (accounts are locked while posting), so a
    # statement shows a running balance without summing earlier rows.
    balance_after = models.BigIntegerField(verbose_name=gettext_lazy("balance after"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("ledger entry")
        verbose_name_plural = gettext_lazy("ledger entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="escrow_entry_non_zero"),
        ]
        indexes = [models.Index(fields=["account", "-id"], name="escrow_entry_account_id")]

    def __str__(self) -> str:
        return f"{format_money(self.amount, self.currency)} · {self.account}"


class PendingCredit(models.Model):
    """Money credited to a wallet that becomes available at a stored due time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pending_credits",
        verbose_name=gettext_lazy("user"),
    )
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    kind = models.CharField(max_length=24, verbose_name=gettext_lazy("kind"))
    key = models.CharField(max_length=200, unique=True, verbose_name=gettext_lazy("key"))
    memo = models.CharField(
        max_length=300, blank=True, default="", verbose_name=gettext_lazy("memo")
    )
    due_at = models.DateTimeField(db_index=True, verbose_name=gettext_lazy("due at"))
    released_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("released at")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("pending credit")
        verbose_name_plural = gettext_lazy("pending credits")
        ordering = ("due_at", "id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="escrow_pending_positive"),
        ]

    def __str__(self) -> str:
        return gettext("%(amount)s for %(user)s, available on %(date)s") % {
            "amount": format_money(self.amount, self.currency),
            "user": self.user.display_name,
            "date": shown_date(self.due_at),
        }


class HeldFunds(models.Model):
    """Money a client has put up for one piece of work (e.g. reference "milestone:42")."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", gettext_lazy("Awaiting payment")
        FUNDED = "funded", gettext_lazy("Held")
        RELEASED = "released", gettext_lazy("Released")
        REFUNDED = "refunded", gettext_lazy("Refunded")
        SPLIT = "split", gettext_lazy("Split")
        FROZEN = "frozen", gettext_lazy("Frozen (payment dispute)")

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.AWAITING_PAYMENT: frozenset({Status.FUNDED}),
        Status.FUNDED: frozenset({Status.RELEASED, Status.REFUNDED, Status.SPLIT, Status.FROZEN}),
        Status.FROZEN: frozenset({Status.FUNDED, Status.REFUNDED}),
        Status.RELEASED: frozenset(),
        Status.REFUNDED: frozenset(),
        Status.SPLIT: frozenset(),
    }

    reference = models.CharField(
        max_length=200, unique=True, verbose_name=gettext_lazy("reference")
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="held_funds_paid",
        verbose_name=gettext_lazy("payer"),
    )
    payee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="held_funds_received",
        verbose_name=gettext_lazy("payee"),
    )
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.AWAITING_PAYMENT,
        verbose_name=gettext_lazy("status"),
    )
    source = models.CharField(max_length=10, default="balance", verbose_name=gettext_lazy("source"))
    fee_kind = models.CharField(
        max_length=40, blank=True, default="", verbose_name=gettext_lazy("fee kind")
    )
    fee = models.BigIntegerField(default=0, verbose_name=gettext_lazy("fee"))
    payee_net = models.BigIntegerField(default=0, verbose_name=gettext_lazy("payee net"))
    payer_refund = models.BigIntegerField(default=0, verbose_name=gettext_lazy("payer refund"))
    fee_breakdown = models.JSONField(
        default=dict, blank=True, verbose_name=gettext_lazy("fee breakdown")
    )
    charge_ref = models.CharField(
        max_length=200, blank=True, default="", verbose_name=gettext_lazy("charge ref")
    )
    fund_transaction = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("fund transaction"),
    )
    settle_transaction = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("settle transaction"),
    )
    funded_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("funded at"))
    settled_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("settled at")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("held funds")
        verbose_name_plural = gettext_lazy("held funds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="escrow_held_positive"),
        ]

    def __str__(self) -> str:
        return gettext("%(amount)s from %(payer)s to %(payee)s (%(status)s)") % {
            "amount": format_money(self.amount, self.currency),
            "payer": self.payer.display_name,
            "payee": self.payee.display_name,
            "status": self.get_status_display(),
        }

    @property
    def account_reference(self) -> str:
        return f"escrow:{self.reference}"

    @property
    def settlement_key(self) -> str:
        return f"escrow-settle:{self.pk}"


class HeldFundsEvent(models.Model):
    held = models.ForeignKey(
        HeldFunds,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=gettext_lazy("held"),
    )
    from_status = models.CharField(
        max_length=20, blank=True, verbose_name=gettext_lazy("from status")
    )
    to_status = models.CharField(max_length=20, verbose_name=gettext_lazy("to status"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    note = models.CharField(
        max_length=300, blank=True, default="", verbose_name=gettext_lazy("note")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("held funds event")
        verbose_name_plural = gettext_lazy("held funds events")
        ordering = ("id",)

    def __str__(self) -> str:
        labels = dict(HeldFunds.Status.choices)
        shown = [str(labels.get(value, value)) for value in (self.from_status, self.to_status)]
        return f"{shown[0]} → {shown[1]}" if shown[0] else shown[1]


class Purchase(models.Model):
    """Something bought from the platform (an upgrade, a lead, a booking fee)."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting payment")
        PAID = "paid", gettext_lazy("Paid")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="purchases",
        verbose_name=gettext_lazy("user"),
    )
    purpose = models.CharField(max_length=60, verbose_name=gettext_lazy("purpose"))
    reference = models.CharField(max_length=200, verbose_name=gettext_lazy("reference"))
    description = models.CharField(max_length=300, verbose_name=gettext_lazy("description"))
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    source = models.CharField(max_length=10, verbose_name=gettext_lazy("source"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        verbose_name=gettext_lazy("status"),
    )
    transaction = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("transaction"),
    )
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("paid at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("purchase")
        verbose_name_plural = gettext_lazy("purchases")
        ordering = ("-id",)
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose", "reference"], name="escrow_purchase_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="escrow_purchase_positive"),
        ]

    def __str__(self) -> str:
        return f"{memos.translated(self.description)} ({self.get_status_display()})"


class Checkout(models.Model):
    """One attempt to take card money through a gateway (demo or Stripe)."""

    class Kind(models.TextChoices):
        TOP_UP = "top_up", gettext_lazy("Top up")
        PURCHASE = "purchase", gettext_lazy("Purchase")
        HELD_FUNDS = "held_funds", gettext_lazy("Payment protection")

    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("Open")
        PROCESSING = "processing", gettext_lazy("Processing")
        SUCCEEDED = "succeeded", gettext_lazy("Paid")
        FAILED = "failed", gettext_lazy("Failed")
        EXPIRED = "expired", gettext_lazy("Expired")

    token = models.CharField(
        max_length=64, unique=True, default=_new_token, verbose_name=gettext_lazy("token")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="checkouts",
        verbose_name=gettext_lazy("user"),
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    gateway = models.CharField(max_length=10, verbose_name=gettext_lazy("payment gateway"))
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    description = models.CharField(
        max_length=300, blank=True, default="", verbose_name=gettext_lazy("description")
    )
    status = models.CharField(
        max_length=12,
        choices=Status.choices,
        default=Status.OPEN,
        verbose_name=gettext_lazy("status"),
    )
    purchase = models.ForeignKey(
        Purchase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkouts",
        verbose_name=gettext_lazy("purchase"),
    )
    held = models.ForeignKey(
        HeldFunds,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkouts",
        verbose_name=gettext_lazy("held"),
    )
    external_id = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_index=True,
        verbose_name=gettext_lazy("external ID"),
    )
    charge_ref = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_index=True,
        verbose_name=gettext_lazy("charge ref"),
    )
    redirect_url = models.URLField(
        max_length=2000, blank=True, default="", verbose_name=gettext_lazy("redirect URL")
    )
    return_url = models.CharField(
        max_length=500, blank=True, default="", verbose_name=gettext_lazy("return URL")
    )
    failure_reason = models.CharField(
        max_length=300, blank=True, default="", verbose_name=gettext_lazy("failure reason")
    )
    refunded_amount = models.BigIntegerField(
        default=0, verbose_name=gettext_lazy("refunded amount")
    )
    # The paying form's key (a top up): a repeated submission finds this checkout again.
    idempotency_key = models.CharField(
        max_length=100, blank=True, default="", verbose_name=gettext_lazy("idempotency key")
    )
    completed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("completed at")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("checkout")
        verbose_name_plural = gettext_lazy("checkouts")
        ordering = ("-id",)
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="escrow_checkout_positive"),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="escrow_checkout_key_once",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(kind)s: %(amount)s by %(user)s (%(status)s)") % {
            "kind": self.get_kind_display(),
            "amount": format_money(self.amount, self.currency),
            "user": self.user.display_name,
            "status": self.get_status_display(),
        }


class CardRefund(models.Model):
    """A refund to a card, posted in the ledger at once and sent to the gateway after commit.

    Unsent rows are part of the outbox the beat task sweeps.
    """

    checkout = models.ForeignKey(
        Checkout,
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=gettext_lazy("checkout"),
    )
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    key = models.CharField(max_length=200, unique=True, verbose_name=gettext_lazy("key"))
    gateway_ref = models.CharField(
        max_length=200, blank=True, default="", verbose_name=gettext_lazy("gateway ref")
    )
    sent_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=gettext_lazy("sent at")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("card refund")
        verbose_name_plural = gettext_lazy("card refunds")
        ordering = ("-id",)
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="escrow_card_refund_positive"),
        ]

    def __str__(self) -> str:
        return gettext("Refund of %(amount)s to the card of %(user)s") % {
            "amount": format_money(self.amount, self.checkout.currency),
            "user": self.checkout.user.display_name,
        }


class GatewayEvent(models.Model):
    """A payment provider event, stored once (id unique) and processed after commit.

    Unprocessed rows are the outbox: a beat task sweeps any left behind by a crash.
    """

    gateway = models.CharField(max_length=10, verbose_name=gettext_lazy("payment gateway"))
    event_id = models.CharField(max_length=200, unique=True, verbose_name=gettext_lazy("event ID"))
    type = models.CharField(max_length=100, verbose_name=gettext_lazy("type"))
    payload = models.JSONField(verbose_name=gettext_lazy("payload"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("received at"))
    processed_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=gettext_lazy("processed at")
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=gettext_lazy("attempts"))
    last_error = models.TextField(blank=True, default="", verbose_name=gettext_lazy("last error"))

    class Meta:
        verbose_name = gettext_lazy("payment provider event")
        verbose_name_plural = gettext_lazy("payment provider events")
        ordering = ("-id",)

    def __str__(self) -> str:
        # The provider's own event id and type: what staff look up at the provider.
        return gettext("Payment provider event %(id)s (%(type)s)") % {
            "id": self.event_id,
            "type": self.type,
        }


class ConnectedAccount(models.Model):
    """An expert's Stripe Connect Express account (manual payouts)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="connected_account",
        verbose_name=gettext_lazy("user"),
    )
    stripe_account_id = models.CharField(
        max_length=100, unique=True, verbose_name=gettext_lazy("payment gateway account ID")
    )
    payouts_enabled = models.BooleanField(
        default=False, verbose_name=gettext_lazy("payouts enabled")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("connected payout account")
        verbose_name_plural = gettext_lazy("connected payout accounts")

    def __str__(self) -> str:
        return gettext("Payout account of %(user)s") % {"user": self.user.display_name}


class Payout(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", gettext_lazy("Requested")
        APPROVED = "approved", gettext_lazy("Approved")
        PAID = "paid", gettext_lazy("Paid")
        FAILED = "failed", gettext_lazy("Failed (returned to balance)")

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.REQUESTED: frozenset({Status.APPROVED, Status.FAILED}),
        Status.APPROVED: frozenset({Status.PAID, Status.FAILED}),
        Status.PAID: frozenset(),
        Status.FAILED: frozenset(),
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payouts",
        verbose_name=gettext_lazy("user"),
    )
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.REQUESTED,
        verbose_name=gettext_lazy("status"),
    )
    gateway = models.CharField(
        max_length=10, blank=True, default="", verbose_name=gettext_lazy("payment gateway")
    )
    gateway_ref = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_index=True,
        verbose_name=gettext_lazy("payment gateway reference"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("approved by"),
    )
    approved_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("approved at")
    )
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("sent at"))
    settled_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("settled at")
    )
    failure_reason = models.CharField(
        max_length=300, blank=True, default="", verbose_name=gettext_lazy("failure reason")
    )
    # For a release paid straight to the expert's Stripe account: the held funds' payment, so
    # the transfer can use source_transaction (separate charges and transfers).
    source_payment_ref = models.CharField(
        max_length=200, blank=True, default="", verbose_name=gettext_lazy("source payment ref")
    )
    # Once the gateway has the payout only its events settle it; staff record a case instead.
    case_note = models.TextField(blank=True, default="", verbose_name=gettext_lazy("case note"))
    case_opened_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("case opened at")
    )
    case_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("case opened by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("payout")
        verbose_name_plural = gettext_lazy("payouts")
        ordering = ("-id",)
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="escrow_payout_positive"),
        ]

    def __str__(self) -> str:
        return gettext("Withdrawal of %(amount)s by %(user)s (%(status)s)") % {
            "amount": format_money(self.amount, self.currency),
            "user": self.user.display_name,
            "status": self.get_status_display(),
        }

    @property
    def settlement_key(self) -> str:
        return f"payout-settle:{self.pk}"

    @property
    def with_gateway(self) -> bool:
        """Sent to the gateway: from here only the gateway's events settle it."""
        return self.sent_at is not None or bool(self.gateway_ref)


class ReconciliationRun(models.Model):
    started_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("started at"))
    finished_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("finished at")
    )
    ok = models.BooleanField(default=False, verbose_name=gettext_lazy("OK"))
    accounts_checked = models.PositiveIntegerField(
        default=0, verbose_name=gettext_lazy("accounts checked")
    )
    transactions_checked = models.PositiveIntegerField(
        default=0, verbose_name=gettext_lazy("transactions checked")
    )
    mismatches = models.JSONField(default=list, blank=True, verbose_name=gettext_lazy("mismatches"))

    class Meta:
        verbose_name = gettext_lazy("reconciliation run")
        verbose_name_plural = gettext_lazy("reconciliation runs")
        ordering = ("-id",)

    def __str__(self) -> str:
        wording = (
            gettext("Reconciliation of %(when)s: everything matches")
            if self.ok
            else gettext("Reconciliation of %(when)s: problems found")
        )
        return wording % {"when": shown_datetime(self.started_at) if self.started_at else ""}


class BalanceAdjustment(models.Model):
    """A staff credit or debit on a user's balance with its mandatory reason (an extra fee, a
    goodwill gesture, a correction): posted through the ledger once (key "adjustment:<key>"),
    shown to the user on their statement with the reason, listed for staff in the admin."""

    class Direction(models.TextChoices):
        CREDIT = "credit", gettext_lazy("Credit (add to the balance)")
        DEBIT = "debit", gettext_lazy("Debit (take from the balance)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="balance_adjustments",
        verbose_name=gettext_lazy("user"),
    )
    direction = models.CharField(
        max_length=6, choices=Direction.choices, verbose_name=gettext_lazy("direction")
    )
    amount = models.BigIntegerField(
        help_text=gettext_lazy("Minor units."), verbose_name=gettext_lazy("amount")
    )
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    reason = models.CharField(max_length=250, verbose_name=gettext_lazy("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    key = models.CharField(
        max_length=64,
        unique=True,
        help_text=gettext_lazy("One per submitted form."),
        verbose_name=gettext_lazy("key"),
    )
    transaction = models.OneToOneField(
        LedgerTransaction,
        on_delete=models.PROTECT,
        related_name="adjustment",
        verbose_name=gettext_lazy("transaction"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("balance adjustment")
        verbose_name_plural = gettext_lazy("balance adjustments")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="adjustment_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
        ]

    def __str__(self) -> str:
        wording = (
            gettext("Debit of %(amount)s from %(user)s")
            if self.direction == self.Direction.DEBIT
            else gettext("Credit of %(amount)s to %(user)s")
        )
        return wording % {
            "amount": format_money(self.amount, self.currency),
            "user": self.user.display_name,
        }


class PaymentPreference(models.Model):
    """How a person prefers to pay; every payment form starts from it (no row: balance first)."""

    class Method(models.TextChoices):
        BALANCE_FIRST = "balance", gettext_lazy("Balance first (by card when the balance is short)")
        CARD = "card", gettext_lazy("Card")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="payment_preference",
        verbose_name=gettext_lazy("user"),
    )
    method = models.CharField(
        max_length=7,
        choices=Method.choices,
        default=Method.BALANCE_FIRST,
        verbose_name=gettext_lazy("method"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("payment preference")
        verbose_name_plural = gettext_lazy("payment preferences")

    def __str__(self) -> str:
        return f"{self.user.display_name}: {self.get_method_display()}"
