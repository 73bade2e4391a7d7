"""`field__any=[ids]`: one array parameter on PostgreSQL (`col = ANY(%s)`), where `__in`
sends one parameter per id. Building and binding hundreds of parameters costs Django and
psycopg milliseconds per query; a dashboard reads the rollups a dozen times per page.
Other databases fall back to IN."""

from django.db.models import ForeignKey, IntegerField, Lookup


class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)
        if not self.rhs:
            return "1 = 0", tuple(lhs_params)
        marks = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({marks})", (*lhs_params, *self.rhs)


def register() -> None:
    IntegerField.register_lookup(Any)
    ForeignKey.register_lookup(Any)
