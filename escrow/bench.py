"""Money benchmarks: postings per second, and the Balance and statement pages for a wallet with
100,000 entries (they read cached balances and keyset pages, so they must not slow with size)."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from escrow.models import Account, Entry, LedgerTransaction
from escrow.services.ledger import Leg, _post_in_python, platform_account, post, wallet_account
from marketplace.bench_tools import PAGE_HEADERS, Report, time_page

POSTINGS = 2000
ENTRIES = 100_000
LEGS_PER_TRANSACTION = 10  # ten wallet entries and one card-clearing entry per transaction


FLOOR_SECONDS = 5.0
THREADS = 4

# The posting shape of post_transaction as plain SQL on the same tables (the zero-sum trigger
# runs at commit): lock both accounts in id order, insert the transaction and its two entries,
# update both balances, commit.
FLOOR_STATEMENTS = (
    "SELECT id, balance FROM escrow_account WHERE id IN ({a}, {b}) ORDER BY id FOR UPDATE",
    "INSERT INTO escrow_ledgertransaction (kind, key, memo, cause, created_at) "
    "VALUES ('debit', {key}, '', '', now()) RETURNING id AS txn",
    "INSERT INTO escrow_entry (transaction_id, account_id, amount, currency, balance_after, "
    "created_at) SELECT {txn}, a.id, CASE WHEN a.id = {a} THEN -1 ELSE 1 END, a.currency, "
    "a.balance + CASE WHEN a.id = {a} THEN -1 ELSE 1 END, now() "
    "FROM escrow_account a WHERE a.id IN ({a}, {b})",
    "UPDATE escrow_account SET balance = balance + CASE WHEN id = {a} THEN -1 ELSE 1 END "
    "WHERE id IN ({a}, {b})",
)

PLACEHOLDERS = {"a": "%(a)s", "b": "%(b)s", "key": "%(key)s", "txn": "%(txn)s"}


@dataclass
class Rate:
    label: str
    count: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.count / self.seconds


def _conninfo() -> str:
    db = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=db["NAME"],
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=str(db.get("PORT") or 5432),
    )


def _psycopg_floor(pairs: list[tuple[int, int]], tag: str) -> Rate:
    """FLOOR_STATEMENTS through one psycopg connection per pair (one thread each), FLOOR_SECONDS."""
    counts = [0] * len(pairs)
    stop = time.perf_counter() + FLOOR_SECONDS

    def worker(n: int) -> None:
        a, b = pairs[n]
        with psycopg.connect(_conninfo()) as conn:
            i = 0
            while time.perf_counter() < stop:
                params: dict[str, object] = {"a": a, "b": b, "key": f"floor:{tag}:{n}:{i}"}
                with conn.transaction(), conn.cursor() as cursor:
                    for statement in FLOOR_STATEMENTS:
                        cursor.execute(statement.format_map(PLACEHOLDERS), params)
                        if "RETURNING" in statement:
                            (params["txn"],) = cursor.fetchone() or (None,)
                i += 1
            counts[n] = i

    started = time.perf_counter()
    _threads(worker, len(pairs))
    return Rate(
        f"floor: plain SQL through psycopg, {_clients(len(pairs))}",
        sum(counts),
        time.perf_counter() - started,
    )


def _pgbench_floor(pairs: list[tuple[int, int]]) -> Rate | None:
    """The same statements run by pgbench (no Python at all), client n on pairs[n]."""
    binary = _pgbench()
    if not binary or connection.vendor != "postgresql":
        return None
    choose = ", ".join(str(a) for a, _ in pairs)
    other = ", ".join(str(b) for _, b in pairs)
    a, b = f"(ARRAY[{choose}])[:client_id + 1]", f"(ARRAY[{other}])[:client_id + 1]"
    key = "'pgbench:' || gen_random_uuid()"
    script = "BEGIN;\n" + "".join(
        statement.format(a=a, b=b, key=key, txn=":txn")
        + (" \\gset\n" if "RETURNING" in statement else ";\n")
        for statement in FLOOR_STATEMENTS
    )
    script += "COMMIT;\n"
    db = connection.settings_dict
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    clients = len(pairs)
    try:
        done = subprocess.run(  # noqa: S603 - the server's own pgbench, fixed arguments
            [
                binary,
                "-n",
                "-f",
                handle.name,
                "-c",
                str(clients),
                "-j",
                str(clients),
                "-T",
                str(round(FLOOR_SECONDS)),
                "-h",
                db.get("HOST") or "127.0.0.1",
                "-p",
                str(db.get("PORT") or 5432),
                "-U",
                db.get("USER") or "postgres",
                db["NAME"],
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
        )
    finally:
        os.unlink(handle.name)
    processed = re.search(r"number of transactions actually processed: (\d+)", done.stdout)
    tps = re.search(r"tps = ([\d.]+)", done.stdout)
    if done.returncode or not processed or not tps:
        raise RuntimeError(f"pgbench said: {done.stdout}{done.stderr}")
    count = int(processed.group(1))
    return Rate(
        f"floor: plain SQL through pgbench, {_clients(clients)}", count, count / float(tps.group(1))
    )


def _pgbench() -> str:
    """pgbench from PATH, else from the server's own bin folder (Debian keeps it there)."""
    found = shutil.which("pgbench")
    if found:
        return found
    try:
        bindir = subprocess.run(
            ["pg_config", "--bindir"],  # noqa: S607 - pg_config from PATH
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        candidates = [Path(bindir) / "pgbench"]
    except (OSError, subprocess.CalledProcessError):
        candidates = []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True)
    return next((str(path) for path in candidates if path.exists()), "")


def _clients(n: int) -> str:
    return "one client" if n == 1 else f"{n} clients on neighbouring wallets"


def _threads(target: Callable[[int], None], count: int) -> None:
    workers = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()


def _timed_posts(
    label: str,
    pairs: list[tuple[Account, Account]],
    tag: str,
    poster: Callable[..., object] = post,
    *,
    processes: bool = False,
) -> Rate:
    """Postings for FLOOR_SECONDS, measured as the floors are: every client connects first, then
    all post until the same deadline (no connection set-up, no client finishing alone).

    Clients are threads, or with `processes` one process each, as the web and Celery workers
    post in production: threads of one Python process also wait for each other's Python time
    (the interpreter lock), which no deployment does."""
    context = multiprocessing.get_context("fork")
    counts = context.Array("q", len(pairs))
    stop = context.Value("d", 0.0)
    ready = context.Barrier(len(pairs) + 1)

    def worker(n: int) -> None:
        payer, payee = pairs[n]
        try:
            connection.ensure_connection()
            ready.wait()
            i = 0
            while time.perf_counter() < stop.value:
                poster(
                    key=f"bench:{tag}:{n}:{i}",
                    kind=LedgerTransaction.Kind.DEBIT,
                    legs=[Leg(payer, -1), Leg(payee, 1)],
                    memo="",
                    cause="",
                    by=None,
                    reverses=None,
                )
                i += 1
            counts[n] = i
        finally:
            connection.close()

    workers: list[Any]
    if processes:
        connections.close_all()  # each child opens its own connection
        workers = [context.Process(target=worker, args=(n,)) for n in range(len(pairs))]
    else:
        workers = [threading.Thread(target=worker, args=(n,)) for n in range(len(pairs))]
    for client in workers:
        client.start()
    started = time.perf_counter()
    stop.value = started + FLOOR_SECONDS
    ready.wait()
    for client in workers:
        client.join()
        if getattr(client, "exitcode", 0):
            raise RuntimeError(f"a posting process failed ({client})")
    return Rate(label, sum(counts[:]), time.perf_counter() - started)


def _postings(report: Report) -> None:
    user_model = get_user_model()
    clearing = platform_account(Account.Kind.CARD_CLEARING)
    wallets = []
    for n in range(THREADS + 1):
        wallet = wallet_account(
            user_model.objects.create_user(email=f"bench-wallet-{n}@example.com")
        )
        post(
            key=f"bench:seed:{n}",
            kind=LedgerTransaction.Kind.TOP_UP,
            legs=[Leg(clearing, -(10**9)), Leg(wallet, 10**9)],
        )
        wallets.append(wallet)
    one = [(wallets[0], wallets[1])]
    # Each thread debits its wallet and credits the next: every wallet is shared by two threads.
    neighbours = [(wallets[n], wallets[(n + 1) % THREADS]) for n in range(THREADS)]

    def ids(pairs: list[tuple[Account, Account]]) -> list[tuple[int, int]]:
        return [(a.pk, b.pk) for a, b in pairs]

    load_before = os.getloadavg()[0]
    floor_one = _pgbench_floor(ids(one))
    psycopg_one = _psycopg_floor(ids(one), "one")
    before = _timed_posts(
        "post_transaction before (Python, 11 statements)", one, "python", _post_in_python
    )
    after = _timed_posts("post_transaction (escrow_post, one round trip)", one, "serial")
    replay_started = time.perf_counter()
    for i in range(POSTINGS // 4):
        post(
            key=f"bench:replay:{i % 100}",
            kind=LedgerTransaction.Kind.DEBIT,
            legs=[Leg(wallets[0], -1), Leg(wallets[1], 1)],
        )
    replayed = Rate(
        "replayed keys (100 distinct)", POSTINGS // 4, time.perf_counter() - replay_started
    )
    floor_many = _pgbench_floor(ids(neighbours))
    psycopg_many = _psycopg_floor(ids(neighbours), "many")
    hot = _timed_posts(
        f"post_transaction, {THREADS} threads all debiting one hot wallet",
        [(wallets[0], wallets[n + 1]) for n in range(THREADS)],
        "hot",
    )
    many = _timed_posts(
        f"post_transaction, {THREADS} threads on neighbouring wallets",
        neighbours,
        "parallel",
    )
    many_processes = _timed_posts(
        f"post_transaction, {THREADS} processes on neighbouring wallets",
        neighbours,
        "processes",
        processes=True,
    )
    load_after = os.getloadavg()[0]

    reference_one = floor_one or psycopg_one
    reference_many = floor_many or psycopg_many
    section = report.section(
        "Ledger postings",
        intro=(
            "Each posting is one committed transaction through `post_transaction`: idempotency "
            "check, row locks on the accounts in id order, entries with running balances, cached "
            "balances, and the zero-sum trigger run before commit. Since this run it is one call "
            "of the `escrow_post` SQL function (one round trip); the row marked *before* is the "
            "same posting statement by statement from Python, measured in the same run. The "
            "floor is the same SQL shape as plain statements (lock both accounts in id order, "
            "insert the transaction and its entries, update both balances, commit) on the same "
            "tables, triggers included, measured in this run with pgbench when installed and "
            "through one psycopg connection per client."
        ),
        headers=["scenario", "postings", "seconds", "postings per second", "vs floor"],
    )
    for rate, floor in (
        (floor_one, reference_one),
        (psycopg_one, reference_one),
        (before, reference_one),
        (after, reference_one),
        (replayed, None),
        (floor_many, reference_many),
        (psycopg_many, reference_many),
        (hot, None),
        (many, reference_many),
        (many_processes, reference_many),
    ):
        if rate is None:
            continue
        section.row(
            rate.label,
            rate.count,
            f"{rate.seconds:.2f}",
            f"{rate.per_second:.0f}",
            f"{100 * rate.per_second / floor.per_second:.0f}%" if floor else "-",
        )
    section.note(
        "One thread: post_transaction does "
        f"{100 * after.per_second / reference_one.per_second:.0f}% "
        f"of the floor ({reference_one.label.split(',')[0].removeprefix('floor: ')}), "
        f"{100 * after.per_second / psycopg_one.per_second:.0f}% of the psycopg floor, and "
        f"{after.per_second / before.per_second:.1f}x the Python path it replaces."
    )
    section.note(
        f"{THREADS} threads on neighbouring wallets: post_transaction scales "
        f"{many.per_second / after.per_second:.2f}x over one thread; on the same cores the "
        f"floor itself scales {reference_many.per_second / reference_one.per_second:.2f}x "
        f"(psycopg floor {psycopg_many.per_second / psycopg_one.per_second:.2f}x). "
        f"Load average (1 min) {load_before:.2f} before the postings, {load_after:.2f} after, "
        f"on {os.cpu_count()} cores shared with the clients."
    )
    section.note(
        f"{THREADS} processes on neighbouring wallets (each client its own Python process, as "
        "web and Celery workers run): post_transaction scales "
        f"{many_processes.per_second / after.per_second:.2f}x over one thread, "
        f"{100 * many_processes.per_second / reference_many.per_second:.0f}% of the "
        f"{THREADS}-client floor. Threads of one process share the interpreter lock, so the "
        "threads row also measures Python waiting for Python."
    )
    section.note(
        "The hot-wallet row is the worst case: every posting waits for the same row lock. "
        "The neighbouring-wallets rows share each wallet between two threads (locks in id order)."
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
