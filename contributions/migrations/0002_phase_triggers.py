"""Refuse activities and field visits dated outside their decision's phase, in the database.

A CHECK constraint cannot read the decision's row, so this is a trigger, written for both
database engines we run on (SQLite for the demo, PostgreSQL in production and CI).
"""

from django.db import migrations

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
        RAISE EXCEPTION 'Ngày %% nằm ngoài giai đoạn của quyết định (%% – %%)',
            to_char(NEW.start_date, 'DD/MM/YYYY'), to_char(phase_start, 'DD/MM/YYYY'),
            to_char(phase_end, 'DD/MM/YYYY')
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

POSTGRES_TRIGGER = """
CREATE TRIGGER {table}_in_phase
BEFORE INSERT OR UPDATE OF start_date, end_date, assignment_id ON {table}
FOR EACH ROW EXECUTE FUNCTION giupxa_in_decision_phase();
"""

SQLITE_TRIGGER = """
CREATE TRIGGER {table}_in_phase_{event}
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


def create(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(POSTGRES_FUNCTION)
        for table in TABLES:
            run(POSTGRES_TRIGGER.format(table=table))
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            run(SQLITE_TRIGGER.format(table=table, event="insert", sql_event="INSERT"))
            run(
                SQLITE_TRIGGER.format(
                    table=table,
                    event="update",
                    sql_event="UPDATE OF start_date, end_date, assignment_id",
                )
            )
    else:
        raise NotImplementedError(f"No phase trigger for {schema_editor.connection.vendor}")


def drop(apps, schema_editor):
    run = schema_editor.execute
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            run(f"DROP TRIGGER IF EXISTS {table}_in_phase ON {table}")
        else:
            run(f"DROP TRIGGER IF EXISTS {table}_in_phase_insert")
            run(f"DROP TRIGGER IF EXISTS {table}_in_phase_update")
    if schema_editor.connection.vendor == "postgresql":
        run("DROP FUNCTION IF EXISTS giupxa_in_decision_phase()")


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
