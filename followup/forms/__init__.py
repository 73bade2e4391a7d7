"""Forms of the follow-through pages, a module per feature: needs, follow_ups, meetings,
plans, notifications; `fields` holds what they share."""
