"""Finding what a person typed in a list: by code or label, then by exact name (NFC, case
and the placement of a tone mark aside: "Hòa" is "Hoà"), and only then ignoring accents and
tone marks, when that points to a single entry; otherwise a problem naming the candidates.
Every import matches this way (activities, people, a decision's annex, indicators)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.text import clean, fold, tone_key


def plain_code(raw: str) -> str:
    """A commune code as typed: Excel turns "02770" in a General cell into 2770."""
    return raw.zfill(5) if raw.isdigit() and len(raw) < 5 else raw


@dataclass
class Match:
    """What a lookup found: one entry, or the problem to show."""

    entry: object = None
    problem: str = ""


class Register:
    """Entries looked up by label or code, by exact name, or ignoring accents."""

    def __init__(
        self,
        entries: Iterable,
        *,
        names: Callable[[object], Iterable[str]],
        codes: Callable[[object], Iterable[str]] = lambda entry: (),
        labels: Callable[[object], Iterable[str]] = lambda entry: (),
    ):
        self._names = names
        self._labels: dict[str, object] = {}
        self._codes: dict[str, list] = defaultdict(list)
        self._exact: dict[str, list] = defaultdict(list)
        self._blind: dict[str, list] = defaultdict(list)
        for entry in entries:
            for label in labels(entry):
                self._labels[clean(label).casefold()] = entry
            for code in codes(entry):
                _add(self._codes[clean(code).casefold()], entry)
            for name in names(entry):
                _add(self._exact[tone_key(name)], entry)
                _add(self._blind[fold(name)], entry)

    def by_code(self, code: str) -> list:
        return list(self._codes.get(clean(code).casefold(), ()))

    def exact(self, text: str) -> list:
        """By label, code or exact name."""
        label = self._labels.get(clean(text).casefold())
        if label is not None:
            return [label]
        return self.by_code(plain_code(text)) or list(self._exact.get(tone_key(text), ()))

    def accent_blind(self, text: str) -> list:
        return list(self._blind.get(fold(text), ()))

    def name_of(self, entry) -> str:
        return tone_key(next(iter(self._names(entry))))

    def find(self, text: str, *, what: str, missing: str = "", label: Callable = str) -> Match:
        """One entry named `text`; a problem naming the candidates when there are several."""
        found = self.exact(text)
        if not found:
            found = self.accent_blind(text)
        if len(found) == 1:
            return Match(found[0])
        if not found:
            return Match(
                problem=missing or f"{what.capitalize()} «{text}» không có trong danh mục."
            )
        listed = ", ".join(sorted(label(entry) for entry in found))
        return Match(problem=f"«{text}» khớp nhiều {what}: {listed}; ghi đúng tên có dấu.")


def _add(entries: list, entry) -> None:
    if entry not in entries:
        entries.append(entry)
