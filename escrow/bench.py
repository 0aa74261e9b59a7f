"""Money benchmarks: postings per second, and the Balance and statement pages for a wallet with
100,000 entries (they read cached balances and keyset pages, so they must not slow with size)."""

from __future__ import annotations

import threading
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from escrow.models import Account, Entry, LedgerTransaction
from escrow.services.ledger import Leg, platform_account, post, wallet_account
from marketplace.bench_tools import PAGE_HEADERS, Report, time_page

POSTINGS = 2000
ENTRIES = 100_000
LEGS_PER_TRANSACTION = 10  # ten wallet entries and one card-clearing entry per transaction


def _postings(report: Report) -> None:
    user_model = get_user_model()
    payer = user_model.objects.create_user(email="bench-poster@example.com")
    payee = user_model.objects.create_user(email="bench-payee@example.com")
    clearing = platform_account(Account.Kind.CARD_CLEARING)
    post(
        key="bench:seed",
        kind=LedgerTransaction.Kind.TOP_UP,
        legs=[Leg(clearing, -(10**9)), Leg(wallet_account(payer), 10**9)],
    )
    section = report.section(
        "Ledger postings",
        intro=(
            "Each posting is one committed transaction through `post_transaction`: idempotency "
            "check, row locks on the accounts in id order, entries, cached balances, and the "
            "deferred zero-sum trigger run before commit."
        ),
        headers=["scenario", "postings", "seconds", "postings per second"],
    )
    wallet_a, wallet_b = wallet_account(payer), wallet_account(payee)

    started = time.perf_counter()
    for i in range(POSTINGS):
        post(
            key=f"bench:serial:{i}",
            kind=LedgerTransaction.Kind.DEBIT,
            legs=[Leg(wallet_a, -1), Leg(wallet_b, 1)],
        )
    elapsed = time.perf_counter() - started
    section.row(
        "one thread, same two wallets", POSTINGS, f"{elapsed:.2f}", f"{POSTINGS / elapsed:.0f}"
    )

    started = time.perf_counter()
    for i in range(POSTINGS // 4):
        post(
            key=f"bench:replay:{i % 100}",
            kind=LedgerTransaction.Kind.DEBIT,
            legs=[Leg(wallet_a, -1), Leg(wallet_b, 1)],
        )
    elapsed = time.perf_counter() - started
    count = POSTINGS // 4
    section.row("replayed keys (100 distinct)", count, f"{elapsed:.2f}", f"{count / elapsed:.0f}")

    threads = 4
    per_thread = POSTINGS // threads
    wallets = []
    for n in range(threads):
        user = user_model.objects.create_user(email=f"bench-thread-{n}@example.com")
        wallets.append(wallet_account(user))

    def worker(n: int) -> None:
        try:
            for i in range(per_thread):
                post(
                    key=f"bench:parallel:{n}:{i}",
                    kind=LedgerTransaction.Kind.DEBIT,
                    legs=[Leg(wallet_a, -1), Leg(wallets[n], 1)],
                )
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    total = per_thread * threads
    section.row(
        f"{threads} threads, all debiting one hot wallet",
        total,
        f"{elapsed:.2f}",
        f"{total / elapsed:.0f}",
    )
    for n, wallet in enumerate(wallets):
        post(
            key=f"bench:seed:{n}",
            kind=LedgerTransaction.Kind.TOP_UP,
            legs=[Leg(clearing, -(10**9)), Leg(wallet, 10**9)],
        )

    def independent(n: int) -> None:
        try:
            for i in range(per_thread):
                post(
                    key=f"bench:independent:{n}:{i}",
                    kind=LedgerTransaction.Kind.DEBIT,
                    legs=[Leg(wallets[n], -1), Leg(wallets[(n + 1) % threads], 1)],
                )
        finally:
            connection.close()

    workers = [threading.Thread(target=independent, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    section.row(
        f"{threads} threads, neighbouring wallets",
        total,
        f"{elapsed:.2f}",
        f"{total / elapsed:.0f}",
    )
    section.note(
        "The hot-wallet row is the worst case: every posting waits for the same row lock. "
        "The neighbouring-wallets row shares each wallet between two threads (locks in id order)."
    )


def _bulk_wallet(user: object) -> Account:
    """ENTRIES wallet entries, balanced against card clearing, written with bulk_create."""
    wallet = wallet_account(user)
    clearing = platform_account(Account.Kind.CARD_CLEARING)
    transactions = ENTRIES // LEGS_PER_TRANSACTION
    with transaction.atomic():
        txns = LedgerTransaction.objects.bulk_create(
            [
                LedgerTransaction(
                    key=f"bench:bulk:{i}",
                    kind=LedgerTransaction.Kind.TOP_UP,
                    memo=f"Bench top up {i}",
                )
                for i in range(transactions)
            ],
            batch_size=5000,
        )
        running = wallet.balance
        clearing_running = clearing.balance
        entries = []
        for txn in txns:
            for leg in range(LEGS_PER_TRANSACTION):
                running += 100 + leg
                entries.append(
                    Entry(
                        transaction=txn,
                        account=wallet,
                        amount=100 + leg,
                        currency=wallet.currency,
                        balance_after=running,
                    )
                )
            total = sum(100 + leg for leg in range(LEGS_PER_TRANSACTION))
            clearing_running -= total
            entries.append(
                Entry(
                    transaction=txn,
                    account=clearing,
                    amount=-total,
                    currency=clearing.currency,
                    balance_after=clearing_running,
                )
            )
        Entry.objects.bulk_create(entries, batch_size=10_000)
        Account.objects.filter(pk=wallet.pk).update(balance=running)
        Account.objects.filter(pk=clearing.pk).update(balance=clearing_running)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE escrow_entry, escrow_ledgertransaction, escrow_account")
    return wallet


def _pages(report: Report) -> None:
    user = get_user_model().objects.create_user(email="bench-wallet@example.com")
    started = time.perf_counter()
    wallet = _bulk_wallet(user)
    built = time.perf_counter() - started
    count = Entry.objects.filter(account=wallet).count()
    client = Client()
    client.force_login(user)
    middle = (
        Entry.objects.filter(account=wallet).order_by("id").values_list("id", flat=True)[count // 2]
    )
    section = report.section(
        f"Money pages for a wallet with {count:,} entries",
        intro=(
            f"Built with bulk_create in {built:.1f} s. Balance reads cached balances; the "
            "statement is a keyset page of 50 with the running balance stored on each entry."
        ),
        headers=PAGE_HEADERS,
    )
    statement = reverse("escrow:statement")
    pages = [
        ("Balance", reverse("escrow:balance"), {}),  # (label, url, request headers)
        ("Statement, newest page", statement, {}),
        ("Statement, page from the middle", f"{statement}?before={middle}", {}),
        ("Statement, filtered by type", f"{statement}?kind=top_up", {}),
        ("Statement, htmx rows", f"{statement}?before={middle}", {"HTTP_HX_REQUEST": "true"}),
    ]
    for label, url, extra in pages:
        section.row(*time_page(client, url, requests=50, headers=extra).cells(label))
    csv_timing = time_page(client, reverse("escrow:statement_csv"), requests=3, warmup=1)
    section.row(*csv_timing.cells(f"Statement CSV export (all {count:,} rows, streamed)"))
    section.note(
        "Page timings do not depend on the number of entries: no COUNT(*), no sum over entries."
    )


def run(report: Report) -> None:
    _postings(report)
    _pages(report)
