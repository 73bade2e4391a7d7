"""Administrative units of both eras: the 63 provinces, 696 districts and 10,035 communes
before 1 July 2025 and the 34 provinces and 3,321 communes after, the succession between
them (`CommuneSuccession`), villages, commune classes (region III, border, NTM…) and yearly
indicators (poor-household rate, NTM criteria). `load_admin_units` loads them from PyPI
packages. Stands on `core` only."""
