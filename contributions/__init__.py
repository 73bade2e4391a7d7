"""What agencies do for their communes: activities with their contributions in cash and in
kind (valued in đồng), field visits (days on site), the review flow (submit, confirm, return,
reopen), comments and attachments, the Excel import, and the monthly rollups every figure is
summed from (`rollup`, kept current on every write).

- `services`: every write, with who may do what; `selectors`: reads beyond a queryset;
- `views` (activities, an assignment's page), `visit_views`, `import_views` with `imports`;
- `rollup` and `manage.py refresh_rollup [--check]`; `triggers` (dates inside the phase).
Stands on `assignments`, `communes` and `core`."""
