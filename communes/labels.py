"""How a commune or village is named in a drop-down or a workbook: unique, and read back
exactly by the imports (core.matching)."""

import re

from .models import Commune, Village

# "Nậm Chảy (huyện Mường Khương cũ, mã 02770)", "Nậm Chày (mã 03076)"
LABEL = re.compile(r"(?P<name>.*?)\s*\((?:[^()]*,\s*)?mã\s+(?P<code>[\w-]+)\)", re.IGNORECASE)


def commune_label(commune: Commune) -> str:
    """The commune as the template's drop-down shows it, unique and read back exactly."""
    if commune.is_current:
        return f"{commune.short_name} (mã {commune.code})"
    if commune.district is None:
        return f"{commune.short_name} (trước 01/7/2025, mã {commune.code})"
    district = f"{commune.district.get_kind_display().lower()} {commune.district.short_name}"
    return f"{commune.short_name} ({district} cũ, mã {commune.code})"


def village_label(village: Village, commune: Commune) -> str:
    return f"{village} – {commune.short_name} (mã {commune.code})"
