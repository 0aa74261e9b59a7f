"""One SQL function posts a ledger transaction in a single round trip (PostgreSQL only).

`escrow_post` does what `escrow.services.ledger.post` used to do in eleven statements: it returns
the transaction already stored under the idempotency key, else locks the accounts in id order,
refuses (moving nothing) when an account that may not go negative would, inserts the transaction
and its entries with their running balances, updates the cached balances, and runs the deferred
zero-sum check before returning. SQLite keeps the Python path.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION escrow_post(
    p_key varchar,
    p_kind varchar,
    p_memo varchar,
    p_cause varchar,
    p_created_by bigint,
    p_reverses bigint,
    p_accounts bigint[],
    p_amounts bigint[]
) RETURNS TABLE (
    outcome text,
    txn_id bigint,
    txn_kind varchar,
    txn_memo varchar,
    txn_cause varchar,
    txn_created_by_id bigint,
    txn_reverses_id bigint,
    txn_created_at timestamptz,
    account_ids bigint[],
    balances bigint[]
) AS $$
DECLARE
    txn escrow_ledgertransaction%ROWTYPE;
    locked integer;
    wanted integer;
    short bigint;
    now_ timestamptz := now();
BEGIN
    SELECT * INTO txn FROM escrow_ledgertransaction WHERE key = p_key;
    IF NOT FOUND THEN
        -- Lock every account in id order so concurrent postings cannot deadlock.
        SELECT count(*) INTO locked FROM (
            SELECT a.id FROM escrow_account a
            WHERE a.id = ANY(p_accounts) ORDER BY a.id FOR UPDATE
        ) AS l;
        SELECT count(DISTINCT x) INTO wanted FROM unnest(p_accounts) AS x;
        IF locked <> wanted THEN
            RAISE EXCEPTION 'ledger posting % names an account that does not exist', p_key
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        -- A posting with the same key may have committed while this one waited for the locks.
        SELECT * INTO txn FROM escrow_ledgertransaction WHERE key = p_key;
    END IF;
    IF FOUND THEN
        RETURN QUERY SELECT 'exists'::text, txn.id, txn.kind, txn.memo, txn.cause,
            txn.created_by_id, txn.reverses_id, txn.created_at,
            NULL::bigint[], NULL::bigint[];
        RETURN;
    END IF;

    SELECT a.id INTO short
    FROM escrow_account a
    JOIN (
        SELECT l.account_id, sum(l.amount) AS delta
        FROM unnest(p_accounts, p_amounts) AS l(account_id, amount)
        GROUP BY l.account_id
    ) d ON d.account_id = a.id
    WHERE NOT a.may_go_negative AND a.balance + d.delta < 0
    LIMIT 1;
    IF short IS NOT NULL THEN
        RETURN QUERY SELECT 'insufficient'::text, NULL::bigint, NULL::varchar, NULL::varchar,
            NULL::varchar, NULL::bigint, NULL::bigint, NULL::timestamptz,
            ARRAY[short], NULL::bigint[];
        RETURN;
    END IF;

    INSERT INTO escrow_ledgertransaction
        (kind, key, memo, cause, created_by_id, reverses_id, created_at)
    VALUES (p_kind, p_key, p_memo, p_cause, p_created_by, p_reverses, now_)
    ON CONFLICT (key) DO NOTHING
    RETURNING * INTO txn;
    IF NOT FOUND THEN  -- a concurrent posting with this key won the insert
        SELECT * INTO txn FROM escrow_ledgertransaction WHERE key = p_key;
        RETURN QUERY SELECT 'exists'::text, txn.id, txn.kind, txn.memo, txn.cause,
            txn.created_by_id, txn.reverses_id, txn.created_at,
            NULL::bigint[], NULL::bigint[];
        RETURN;
    END IF;

    INSERT INTO escrow_entry
        (transaction_id, account_id, amount, currency, balance_after, created_at)
    SELECT txn.id, l.account_id, l.amount, a.currency,
        a.balance + sum(l.amount) OVER (PARTITION BY l.account_id ORDER BY l.n),
        now_
    FROM unnest(p_accounts, p_amounts) WITH ORDINALITY AS l(account_id, amount, n)
    JOIN escrow_account a ON a.id = l.account_id
    ORDER BY l.n;

    RETURN QUERY
    WITH updated AS (
        UPDATE escrow_account a SET balance = a.balance + d.delta
        FROM (
            SELECT l.account_id, sum(l.amount) AS delta
            FROM unnest(p_accounts, p_amounts) AS l(account_id, amount)
            GROUP BY l.account_id
        ) d
        WHERE a.id = d.account_id
        RETURNING a.id, a.balance
    )
    SELECT 'created'::text, txn.id, txn.kind, txn.memo, txn.cause,
        txn.created_by_id, txn.reverses_id, txn.created_at,
        array_agg(u.id ORDER BY u.id), array_agg(u.balance ORDER BY u.id)
    FROM updated u;
    -- The zero-sum trigger is deferred to commit; run it now so callers inside a larger
    -- transaction (and tests, which never commit) see a refusal where it happens.
    SET CONSTRAINTS ALL IMMEDIATE;
END;
$$ LANGUAGE plpgsql VOLATILE;
"""

BACKWARD = (
    "DROP FUNCTION IF EXISTS escrow_post("
    "varchar, varchar, varchar, varchar, bigint, bigint, bigint[], bigint[]);"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("escrow", "0007_checkout_key")]

    operations = [migrations.RunPython(forward, backward)]
