"""Dates as a Jira CSV export writes them: in the exporting person's format, language and clock.

Jira Cloud writes "25/Feb/26 10:17 PM" by default, in the person's language
("10/nov/25 4:51 PM" in Spanish, "10/févr./25 16:51" in French), and a file
re-saved by a spreadsheet may hold "6/21/2025 16:14" or ISO "2025-06-21
16:14:00.000". None carries a time zone: it is the exporting person's local
time. ``JiraDates`` reads them all; the day/month order of all-number dates
is decided once per file (a day above 12 settles it).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# Month abbreviations and names in the languages Jira writes, compared without case or accents.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january ene enero janv janvier januar gen gennaio янв январь",
        "feb february febrero fev fevr fevrier februar fevereiro febbraio фев февраль",
        "mar march marzo mars marz marco mrt marzo мар март",
        "apr april abr abril avr avril aprile апр апрель",
        "may mayo mai mag maggio mei май мая",
        "jun june junio juin juni junho giu giugno июн июнь",
        "jul july julio juil juillet juli julho lug luglio июл июль",
        "aug august ago agosto aout augusto авг август",
        "sep sept september septiembre set septembre setembro settembre сен сентябрь",
        "oct october octubre octobre okt oktober out outubro ott ottobre окт октябрь",
        "nov november noviembre novembre novembro ноя ноябрь",
        "dec december dic diciembre dez dezember dezembro dicembre дек декабрь",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)

_TIME = r"(?:[ ,T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*(.*))?"
_NAMED = re.compile(r"(\d{1,2})[/\-. ]+([^\W\d_]+)\.?[/\-. ]+(\d{4}|\d{2})" + _TIME)
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([ T].*)?")


class JiraDateError(ValueError):
    """A cell that is not a date in any way Jira writes one."""


def _plain(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().casefold() or word.casefold()


def month_of(word: str) -> int | None:
    """The month a name or abbreviation means ("Feb", "févr", "ago", "ноя"), or None."""
    word = _plain(word.strip(". "))
    for candidate in (word, word[:4], word[:3]):
        if candidate in MONTHS:
            return MONTHS[candidate]
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _clock(hour: str | None, minute: str | None, second: str | None, rest: str | None) -> tuple[int, int, int]:
    if hour is None:
        return 0, 0, 0
    h, m, s = int(hour), int(minute or 0), int(second or 0)
    marker = re.sub(r"[\s.]", "", (rest or "").casefold())
    if marker in ("pm", "p"):
        h = h % 12 + 12
    elif marker in ("am", "a"):
        h = h % 12
    elif marker:
        raise JiraDateError(f"'{rest}' is not AM or PM")
    return h, m, s


class JiraDates:
    """Reads the dates of one export; ``day_first``: "03/04/25" reads day first unless the file shows otherwise."""

    def __init__(self, samples: list[str] | None = None) -> None:
        self.day_first = True
        for text in samples or []:
            match = _NUMERIC.fullmatch(text.strip())
            if not match:
                continue
            first, second = int(match[1]), int(match[2])
            if first > 12:
                self.day_first = True
                break
            if second > 12:
                self.day_first = False
                break

    def moment(self, text: str) -> datetime | None:
        """The local date and time written in ``text`` (no time zone), None when empty; ``JiraDateError`` otherwise."""
        text = text.strip()
        if not text:
            return None
        if _ISO.fullmatch(text):
            try:
                return datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
            except ValueError:
                raise JiraDateError(f"'{text}' is not a date") from None
        named = _NAMED.fullmatch(text)
        numeric = None if named else _NUMERIC.fullmatch(text)
        try:
            if named:
                month = month_of(named[2])
                if month is None:
                    raise JiraDateError(f"'{named[2]}' in '{text}' is not a month")
                day, year, clock = int(named[1]), _year(named[3]), _clock(*named.groups()[3:7])
            elif numeric:
                first, second = int(numeric[1]), int(numeric[2])
                day, month = (first, second) if self.day_first else (second, first)
                year, clock = _year(numeric[3]), _clock(*numeric.groups()[3:7])
            else:
                raise JiraDateError(f"'{text}' is not a date")
            return datetime(year, month, day, *clock)
        except ValueError as error:
            if isinstance(error, JiraDateError):
                raise
            raise JiraDateError(f"'{text}' is not a real date") from None

    def day(self, text: str) -> date | None:
        """The day written in ``text`` (a due date: the time of day, if any, is the exporter's midnight)."""
        moment = self.moment(text)
        return moment.date() if moment is not None else None
