"""PostgreSQL guards for the ledger: entries are append-only, and every transaction sums to zero
(per currency) at commit time, through a deferred constraint trigger. SQLite skips these."""

from django.db import migrations

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION escrow_entry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are append-only (% refused)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER escrow_entry_no_update_delete
    BEFORE UPDATE OR DELETE ON escrow_entry
    FOR EACH ROW EXECUTE FUNCTION escrow_entry_append_only();
    """,
    """
    CREATE TRIGGER escrow_transaction_no_update_delete
    BEFORE DELETE ON escrow_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION escrow_entry_append_only();
    """,
    """
    CREATE OR REPLACE FUNCTION escrow_check_transaction_balanced() RETURNS trigger AS $$
    DECLARE
        bad_currency text;
        wrong_currency integer;
    BEGIN
        SELECT currency INTO bad_currency
        FROM escrow_entry
        WHERE transaction_id = NEW.transaction_id
        GROUP BY currency
        HAVING SUM(amount) <> 0
        LIMIT 1;
        IF bad_currency IS NOT NULL THEN
            RAISE EXCEPTION 'ledger transaction % does not sum to zero in %',
                NEW.transaction_id, bad_currency
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT COUNT(*) INTO wrong_currency
        FROM escrow_entry e JOIN escrow_account a ON a.id = e.account_id
        WHERE e.transaction_id = NEW.transaction_id AND e.currency <> a.currency;
        IF wrong_currency > 0 THEN
            RAISE EXCEPTION 'ledger transaction % has an entry in the wrong currency',
                NEW.transaction_id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE CONSTRAINT TRIGGER escrow_entry_transaction_balanced
    AFTER INSERT ON escrow_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION escrow_check_transaction_balanced();
    """,
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS escrow_entry_transaction_balanced ON escrow_entry;",
    "DROP FUNCTION IF EXISTS escrow_check_transaction_balanced();",
    "DROP TRIGGER IF EXISTS escrow_transaction_no_update_delete ON escrow_ledgertransaction;",
    "DROP TRIGGER IF EXISTS escrow_entry_no_update_delete ON escrow_entry;",
    "DROP FUNCTION IF EXISTS escrow_entry_append_only();",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("escrow", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
