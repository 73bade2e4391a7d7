"""The bottom rung of giupxa's ladder: helpers every app shares, and no models.

- `periods`: one vocabulary of reporting periods; month, quarter, half-year arithmetic.
- `formatting` and the `vn` template tags: numbers, money and dates the Vietnamese way.
- `text`: names as typed, pasted or imported (NFC, accent-blind keys).
- `lookups`: `field__any=[ids]`, one array parameter on PostgreSQL.
- `workbook`: the formats and writers every XlsxWriter workbook shares (#,##0, %, dd/mm/yyyy,
  totals that store their result); user text never becomes a formula.
- `forms`: a service's ValidationError shown on the form that sent the input.

Nothing here imports another giupxa app (a test walks the imports and fails if one does).
"""
