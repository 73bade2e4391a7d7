"""Every write of the follow-through, a module per feature: needs, follow_ups, meetings (with
their tasks), plans. Each module's docstring says who may do what; the digest's writes are in
`followup.reminders`."""
