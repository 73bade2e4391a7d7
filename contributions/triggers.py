"""Refuse activities and field visits dated outside their decision's phase, in the database.

A CHECK constraint cannot read the decision's row, so this is a trigger, written for both
engines we run on (SQLite for the demo, PostgreSQL in production and CI).

SQLite drops a table's triggers whenever a migration rebuilds the table (which it does for
most column changes), so `install` runs after every `migrate` (see apps.py) and is
idempotent, not only once in migration 0002.
"""

TABLES = ["contributions_activity", "contributions_fieldvisit"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION giupxa_in_decision_phase() RETURNS trigger AS $$
DECLARE
    phase_start date;
    phase_end date;
BEGIN
    SELECT d.phase_start, d.phase_end INTO phase_start, phase_end
    FROM assignments_assignment a JOIN assignments_decision d ON d.id = a.decision_id
    WHERE a.id = NEW.assignment_id;
    IF NEW.start_date < phase_start OR NEW.start_date > phase_end
       OR (NEW.end_date IS NOT NULL AND NEW.end_date > phase_end) THEN
        RAISE EXCEPTION 'Ngày % nằm ngoài giai đoạn của quyết định (% – %)',
            to_char(NEW.start_date, 'DD/MM/YYYY'), to_char(phase_start, 'DD/MM/YYYY'),
            to_char(phase_end, 'DD/MM/YYYY')
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

POSTGRES_TRIGGER = """
CREATE OR REPLACE TRIGGER {table}_in_phase
BEFORE INSERT OR UPDATE OF start_date, end_date, assignment_id ON {table}
FOR EACH ROW EXECUTE FUNCTION giupxa_in_decision_phase();
"""

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_in_phase_{event}
BEFORE {sql_event} ON {table}
WHEN EXISTS (
    SELECT 1 FROM assignments_assignment a JOIN assignments_decision d ON d.id = a.decision_id
    WHERE a.id = NEW.assignment_id
      AND (NEW.start_date < d.phase_start OR NEW.start_date > d.phase_end
           OR (NEW.end_date IS NOT NULL AND NEW.end_date > d.phase_end))
)
BEGIN
    SELECT RAISE(ABORT, 'Ngày nằm ngoài giai đoạn của quyết định');
END;
"""


def install(connection) -> None:
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if not set(TABLES) <= tables:
            return
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            for table in TABLES:
                cursor.execute(POSTGRES_TRIGGER.format(table=table))
        elif connection.vendor == "sqlite":
            for table in TABLES:
                cursor.execute(
                    SQLITE_TRIGGER.format(table=table, event="insert", sql_event="INSERT")
                )
                cursor.execute(
                    SQLITE_TRIGGER.format(
                        table=table,
                        event="update",
                        sql_event="UPDATE OF start_date, end_date, assignment_id",
                    )
                )
        else:
            raise NotImplementedError(f"No phase trigger for {connection.vendor}")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_in_phase ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_in_phase_insert")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_in_phase_update")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS giupxa_in_decision_phase()")
