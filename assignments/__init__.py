"""Who helps whom, and who may see what: agencies, the People's Committee's decisions, the
assignments of agencies to communes, people, users and their roles.

- `scoping`: `RoleKind`, a user's roles in a defined order, `user_province`, and the
  assignment clause every `visible_to` builds on: the one place scoping starts;
- `querysets`: `visible_to(user)` per model, `Assignment.objects.adopted()` and
  `loggable_by(user)`; `permissions`: who may write (403) once something is visible;
- `services` (decision re-mapping onto the 2025 communes), `accounts`, `history` (the audit
  trail), the decision, user and account views.
Stands on `communes` and `core`."""
