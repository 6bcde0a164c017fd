"""What a cell of someone else's RACI matrix means: R, A, C, I, A/R — or that it cannot be read.

Real matrices write the same role many ways: ``R/A``, ``A / R``, ``RA``,
``AR``, ``a``, ``Accountable``, ``Responsable``, ``**R**``. Our model holds
one role a cell (R, A, C, I, or A/R for someone who both does and answers for
the work), so a cell naming more (``RAC``, ``CI``, ``R/C``) keeps the
strongest — A and R together, else R, A, C, I in that order — and says what it
dropped. A cell that names something else (``S`` for RASCI's "support", ``X``,
a tick) is never guessed: ``read_code`` reports it as unreadable and the
import lists it with its address. A dash or "n/a" is an empty cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

ROLE_ORDER = ("A", "R", "C", "I")  # the strongest first
WORDS: dict[str, str] = {}
for _letter, _words in {
    "R": "responsible responsibles resp responsable responsables responsavel responsaveis verantwortlich "
         "durchfuhrung durchfuhrend realisateur realisation executor ejecutor ejecuta realiza doer does",
    "A": "accountable accountability approver approves approve approval approbateur aprobador aprueba aprovador "
         "rechenschaftspflichtig autorite autoridad autoriza",
    "C": "consulted consult consults consultant consultado consultados consultada consulte consultes consultee "
         "konsultiert befragt mitwirkend contributes",
    "I": "informed inform informs informado informados informada informe informes informiert notified notify",
}.items():
    for _word in _words.split():
        WORDS[_word] = _letter
# The words a column heading uses for one letter (a narrower list than the cells': "approval" is no heading).
HEADING_WORDS = {word: letter for word, letter in WORDS.items() if word in {
    "responsible", "responsable", "responsavel", "verantwortlich", "realisateur", "accountable", "approver",
    "aprobador", "approbateur", "aprovador", "rechenschaftspflichtig", "consulted", "consultado", "consulte",
    "konsultiert", "informed", "informado", "informe", "informiert"}}
EMPTY_MARKS = frozenset({"", "-", "--", "–", "—", "n/a", "na", "none", ".", "·", "/", "0", "nil", "ninguno",
                         "aucun"})
EVERYONE = frozenset({"all", "everyone", "everybody", "all roles", "all team", "whole team", "entire team", "the team",
                      "all staff", "todos", "todas", "todo el equipo", "tous", "toutes", "alle", "tutti", "iedereen"})
_SEPARATORS = re.compile(r"\s*(?:[/,;+&|\\-]|\band\b|\by\b|\bet\b|\bund\b)\s*|\s+", re.IGNORECASE)
_MARKUP = re.compile(r"[*_`~]+|<[^>]{1,40}>")
_PARENTHESES = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*")


@dataclass(frozen=True)
class Reading:
    """A cell as understood: ``role`` (None when empty or unreadable), and what had to be interpreted or why not."""

    role: str | None
    note: str = ""
    unreadable: bool = False

    @property
    def empty(self) -> bool:
        return self.role is None and not self.unreadable


EMPTY = Reading(None)


def fold(text: str) -> str:
    """Lower case without accents or surrounding spaces: how names and words are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip().casefold()


def plain(text: str) -> str:
    """A cell without Markdown/HTML emphasis, line breaks or doubled spaces."""
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = _MARKUP.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def combine(letters: set[str]) -> tuple[str, list[str]]:
    """One role for a set of letters, and the letters that had to be dropped (strongest first)."""
    role = "A/R" if {"A", "R"} <= letters else next(letter for letter in ROLE_ORDER if letter in letters)
    kept = set(role.split("/"))
    return role, [letter for letter in ROLE_ORDER if letter in letters and letter not in kept]


def _letters(token: str) -> set[str] | None:
    """The RACI letters one token names ("ra", "responsible", "c"), or None when it names something else."""
    word = fold(token).strip(".:!()[]")
    if not word:
        return set()
    if word in WORDS:
        return {WORDS[word]}
    if word in ("raci", "arci", "rasci", "raci role"):  # the method's name, as a column heading
        return None
    if len(word) <= 4 and set(word) <= set("raci"):
        return {letter.upper() for letter in word}
    return None


def read_code(text: object) -> Reading:
    """Read one cell: ``Reading(role, note)``; ``unreadable`` with the reason when it names no RACI role."""
    raw = "" if text is None else str(text)
    cleaned = plain(raw)
    if fold(cleaned) in EMPTY_MARKS:
        return EMPTY
    dropped_notes: list[str] = []
    core = cleaned
    for match in _PARENTHESES.finditer(cleaned):
        inner = match.group(1).strip()
        if inner and _letters_of_all(inner) is None:
            dropped_notes.append(f"'({inner})' left out")
            core = core.replace(match.group(0), " ")
    core = core.strip().rstrip("*†‡").strip()
    letters = _letters_of_all(core)
    if letters is None or not letters:
        return Reading(None, _why_unreadable(cleaned), unreadable=True)
    role, dropped = combine(letters)
    notes = []
    if dropped:
        lost = ", ".join(dropped)
        verb = "was" if len(dropped) == 1 else "were"
        notes.append(f"read as {role}: a cell holds one role, so {lost} {verb} dropped")
    elif _canonical(cleaned) != role:
        notes.append(f"read as {role}")
    notes.extend(dropped_notes)
    return Reading(role, "; ".join(notes))


def _letters_of_all(text: str) -> set[str] | None:
    found: set[str] = set()
    for token in _SEPARATORS.split(text):
        if not token:
            continue
        letters = _letters(token)
        if letters is None:
            return None
        found |= letters
    return found


def _canonical(text: str) -> str:
    """The cell as our own exports write it, when it is just that (case and spaces aside)."""
    return re.sub(r"\s+", "", text).upper()


def _why_unreadable(text: str) -> str:
    shown = text if len(text) <= 30 else text[:29] + "…"
    word = fold(text)
    if word in ("x", "✓", "✔", "✅", "yes", "y", "•", "*", "+"):
        return f"'{shown}' marks someone as involved but not which role (R, A, C or I)"
    if word == "s" or word.startswith("support"):
        return f"'{shown}' is RASCI's Support, not a RACI role; write C or R"
    return f"'{shown}' is not a RACI role (R, A, C, I, or words like Responsible)"


def is_code(text: object) -> bool:
    """True when the cell names a RACI role (empty cells and unreadable ones are not codes)."""
    return read_code(text).role is not None


_HEADING = re.compile(r"^\(?([RACI])\)?(?:\s*[-–—=:.]\s*|\s+)?(\w*)$", re.IGNORECASE)


def letter_of_heading(text: object) -> str | None:
    """The letter a column heading stands for: "R", "Responsible", "R (Responsible)", "Accountable (A)", "R = …".

    Used to spot matrices that list names under R / A / C / I columns. A
    heading naming two letters ("R/A") is not one of these columns.
    """
    cleaned = plain("" if text is None else str(text)).strip(" :")
    if not cleaned or len(cleaned) > 40:
        return None
    word = fold(cleaned)
    if word in HEADING_WORDS:
        return HEADING_WORDS[word]
    named = {HEADING_WORDS.get(part) for part in re.split(r"\s*[/,]\s*", word)}
    if len(named) == 1 and None not in named:
        return named.pop()
    inner = _PARENTHESES.search(cleaned)
    if inner:
        outside = fold(_PARENTHESES.sub(" ", cleaned))
        inside = fold(inner.group(1))
        letters = {HEADING_WORDS.get(outside), HEADING_WORDS.get(inside)} - {None}
        letters |= {part.upper() for part in (outside, inside) if part in ("r", "a", "c", "i")}
        return letters.pop() if len(letters) == 1 else None
    match = _HEADING.match(cleaned)
    if match:
        letter, rest = match.group(1).upper(), fold(match.group(2))
        if not rest or HEADING_WORDS.get(rest) == letter:
            return letter
    return None


def is_legend(cells: list[str]) -> bool:
    """A row that explains the letters ("R = Responsible", or "R | Responsible | does the work")."""
    texts = [plain(cell) for cell in cells if plain(cell)]
    if not texts:
        return False
    explained = 0
    for text in texts:
        match = re.match(r"^\(?([RACI])\)?\s*[-–—=:]\s*(\w+)", text, re.IGNORECASE)
        if match and WORDS.get(fold(match.group(2))) == match.group(1).upper():
            explained += 1
    if explained:
        return True
    for first, second in pairwise(texts):
        if len(first) == 1 and first.upper() in "RACI" and WORDS.get(fold(second).strip(":")) == first.upper():
            return True
    return False
