"""Tolerant, never-guessing readers for single spreadsheet cells.

Every ``parse_*`` function takes one cell value (str, int, float, bool, date, datetime or None, as
delivered by python-calamine, a CSV file or the Google Sheets API; numpy and pandas scalars are
accepted too) and returns ``(value, None)`` when the cell can be read unambiguously,
``(None, message)`` when it cannot, and ``(None, None)`` for an empty cell. Messages say what was
expected, in words a non-technical partner understands, and never repeat the raw value.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pycountry

from monitoring.formatting import name_some
from monitoring.model.contract import ColumnKind

FORMULA_ERRORS = frozenset(
    {"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!", "#SPILL!", "#CALC!"}
)

_PLAIN_TYPES = frozenset({str, int, float, bool, date, datetime, type(None)})

_EXPECTED_DATE = "expected a date like 2025-03-14 or 14.03.2025"
_NO_SUCH_DAY = "expected a real calendar day, like 2025-03-14"
_NO_SUCH_DAY_FIRST = "expected a real calendar day, day first, like 14.03.2025"
_TWO_DIGIT_YEAR = "the year needs four digits, like 14.03.2025"
_NOT_A_SERIAL = f"{_EXPECTED_DATE}; got a number that is not a plausible date serial"
_TOO_LARGE = "a number too large to be real"
_EXPECTED_NUMBER = "expected a number"
_AMBIGUOUS = "ambiguous: write 1234 or 1.234"
_EXPECTED_WHOLE = "expected a whole number"
_EXPECTED_COUNT = "expected a count of 0 or more"
_UNKNOWN_COUNTRY = "unknown country; use an ISO code like RS or an English name"
_EXPECTED_LINK = "expected a link starting with https://"
_LINK_WITH_SPACES = "expected a single link without spaces"

_SEPARATOR_RUNS = re.compile(r"[\s_-]+")  # runs of spaces, '-' and '_' in headers and enumerated values
_ID_SEPARATORS = re.compile(r"[,;\r\n]+")
_WHITESPACE = re.compile(r"\s+")

# Dates. A trailing time of day (as CSV exports add it) is accepted and ignored.
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
_YEAR_FIRST = re.compile(r"([0-9]{4})\s*([-./])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})\.?" + _TIME)
_DAY_FIRST = re.compile(r"([0-9]{1,2})\s*([-./])\s*([0-9]{1,2})\s*\2\s*([0-9]+)\.?" + _TIME)
_SERIAL = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (20000, 80000)  # 1954-10-03 .. 2119-01-11

# Numbers.
_SIMPLE_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+")
_GAP = re.compile(r"[\s'\u2019]")  # spaces (incl. U+00A0, U+202F) and apostrophes between digit groups
_GAP_GROUPED = re.compile(r"[0-9]{1,3}(?:[\s'\u2019][0-9]{3})+(?:[.,][0-9]+)?")
_DIGITS_AND_SEPARATORS = re.compile(r"[0-9.,]*[0-9][0-9.,]*")
_GROUPED = {sep: re.compile(r"[0-9]{1,3}(?:" + re.escape(sep) + r"[0-9]{3})+") for sep in ".,"}
_GROUP_HEAD = re.compile(r"[1-9][0-9]{0,2}")
# How a single separator followed by exactly three digits ("1,234", "1.234") is read:
# "number": a dot is a decimal mark, a comma is ambiguous; "count": a thousands separator;
# "degrees": a decimal mark (1,234 degrees would be out of range anyway).
_Reading = Literal["number", "count", "degrees"]

_URL = re.compile(r"https?://[^\s/?#<>\"]+[^\s<>\"]*", re.IGNORECASE)
_URL_WITH_SPACES = re.compile(r"https?://\S+\s", re.IGNORECASE)

COUNTRY_ALIASES_PATH = Path(__file__).resolve().parents[2] / "data" / "geo" / "country-aliases.csv"


def _plain(value: Any) -> Any:
    """Map numpy and pandas scalars onto plain Python cell values; pandas' missing markers become None."""
    if type(value) in _PLAIN_TYPES:
        return value
    if pd.isna(value):
        return None
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _start(value: Any) -> tuple[Any, str | None]:
    """First step of every parser: (the plain value, strings stripped, or None if empty; formula error)."""
    value = _plain(value)
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None, None
        if value[0] == "#" and value.upper() in FORMULA_ERRORS:
            return None, f"spreadsheet formula error {value.upper()}"
        return value, None
    if isinstance(value, float) and value != value:
        return None, None
    return value, None


def is_empty(value: Any) -> bool:
    """True for None, NaN (and pandas' NA/NaT), "" and whitespace-only text."""
    value = _plain(value)
    if value is None:
        return True
    if isinstance(value, str):
        return not value or value.isspace()
    return isinstance(value, float) and value != value


def formula_error(value: Any) -> str | None:
    """A message if the cell holds a spreadsheet error such as #REF!, else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return f"spreadsheet formula error {code}" if code in FORMULA_ERRORS else None


def normalise_header(value: Any) -> str:
    """A column header in canonical form: " Partner-ID " -> "partner_id"."""
    if is_empty(value):
        return ""
    return _SEPARATOR_RUNS.sub("_", str(value).lower()).strip("_")


def _as_text(value: Any) -> str:
    """A non-empty plain value as the text a person sees in the cell."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    return str(value)


def parse_text(value: Any) -> tuple[str | None, str | None]:
    """Free text, stripped, otherwise exactly as written (HTML and formulas included)."""
    value, err = _start(value)
    if value is None:
        return None, err
    return _as_text(value), None


def parse_id(value: Any) -> tuple[str | None, str | None]:
    """An identifier: text as written, stripped; the number 3.0 reads as "3"."""
    return parse_text(value)


def parse_ids(value: Any) -> tuple[tuple[str, ...] | None, str | None]:
    """Identifiers separated by ',', ';' or line breaks, in order, without duplicates."""
    value, err = _start(value)
    if value is None:
        return None, err
    parts = (part.strip() for part in _ID_SEPARATORS.split(_as_text(value)))
    ids = tuple(dict.fromkeys(part for part in parts if part))
    return (ids or None), None


def _date_from_serial(serial: float) -> tuple[date | None, str | None]:
    if not math.isfinite(serial):
        return None, _NOT_A_SERIAL
    day = math.floor(serial)
    if _SERIAL_RANGE[0] <= day <= _SERIAL_RANGE[1]:
        return _EPOCH + timedelta(days=day), None
    return None, _NOT_A_SERIAL


def _date_from_parts(year: str, month: str, day: str, impossible: str) -> tuple[date | None, str | None]:
    try:
        return date(int(year), int(month), int(day)), None
    except ValueError:
        return None, impossible


def parse_date(value: Any) -> tuple[date | None, str | None]:
    """A day: ISO 2025-03-14, day-first 14.03.2025 / 14/03/2025 / 14-03-2025, or a spreadsheet serial."""
    value, err = _start(value)
    if value is None:
        return None, err
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value), None
            except ValueError:
                pass  # fall through to the general rules and their messages
        if match := _YEAR_FIRST.fullmatch(value):
            return _date_from_parts(match[1], match[3], match[4], _NO_SUCH_DAY)
        if match := _DAY_FIRST.fullmatch(value):
            if len(match[4]) == 2:
                return None, _TWO_DIGIT_YEAR
            if len(match[4]) != 4:
                return None, _EXPECTED_DATE
            return _date_from_parts(match[4], match[3], match[1], _NO_SUCH_DAY_FIRST)
        if _SERIAL.fullmatch(value):
            return _date_from_serial(float(value.replace(",", ".")))
        return None, _EXPECTED_DATE
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, bool):
        return None, _EXPECTED_DATE
    if isinstance(value, (int, float)):
        return _date_from_serial(value)
    return None, _EXPECTED_DATE


def _read_digits(text: str, reading: _Reading, invalid: str) -> tuple[float | None, str | None]:
    """Digits with '.' and ',' as decimal mark and/or thousands separator, read without guessing."""
    if not _DIGITS_AND_SEPARATORS.fullmatch(text):
        return None, invalid
    dots, commas = text.count("."), text.count(",")
    if dots and commas:  # the last one is the decimal mark, the other groups thousands
        decimal, group = (".", ",") if text.rfind(".") > text.rfind(",") else (",", ".")
        whole, _, fraction = text.rpartition(decimal)
        if text.count(decimal) != 1 or not fraction or not _GROUPED[group].fullmatch(whole):
            return None, invalid
        return float(whole.replace(group, "") + "." + fraction), None
    if not dots and not commas:
        return float(text), None
    separator = "." if dots else ","
    if dots + commas > 1:  # only thousands separators
        if not _GROUPED[separator].fullmatch(text):
            return None, invalid
        return float(text.replace(separator, "")), None
    whole, _, fraction = text.partition(separator)
    if not fraction:
        return None, invalid
    if len(fraction) == 3 and _GROUP_HEAD.fullmatch(whole):  # "1,234" or "1.234"
        if reading == "count":
            return float(whole + fraction), None
        if reading == "number" and separator == ",":
            return None, _AMBIGUOUS
    return float((whole or "0") + "." + fraction), None


def _read_number(text: str, reading: _Reading, invalid: str) -> tuple[float | None, bool, str | None]:
    """(number, whether it ended in %, error) for stripped, non-empty text; the % is not applied."""
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    negative = text[:1] in ("-", "\u2212")
    if negative or text[:1] == "+":
        text = text[1:].lstrip()
    if _SCIENTIFIC.fullmatch(text):
        number, err = float(text), None
    elif _GAP.search(text) and not _GAP_GROUPED.fullmatch(text):
        number, err = None, invalid
    else:
        number, err = _read_digits(_GAP.sub("", text), reading, invalid)
    if number is None:
        return None, percent, err
    return (-number if negative else number), percent, None


def _number(value: Any, reading: _Reading, invalid: str) -> tuple[float | None, bool, str | None]:
    """Shared by the numeric parsers: (number, whether it was a percentage, error)."""
    value, err = _start(value)
    if value is None:
        return None, False, err
    if isinstance(value, str):
        if _SIMPLE_NUMBER.fullmatch(value) and (reading != "count" or "." not in value):
            number, percent, err = float(value), False, None
        else:
            number, percent, err = _read_number(value, reading, invalid)
        if number is not None and not math.isfinite(number):  # "1e309", 400 digits: beyond what a float holds
            return None, False, _TOO_LARGE
        return number, percent, err
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None, False, invalid
    return float(value), False, None


def parse_number(value: Any) -> tuple[float | None, str | None]:
    """Any number: decimal comma or dot, thousands separators, spaces, a trailing % (12% -> 0.12)."""
    number, percent, err = _number(value, "number", _EXPECTED_NUMBER)
    if number is None:
        return None, err
    return (number / 100 if percent else number), None


def parse_int(value: Any) -> tuple[int | None, str | None]:
    """A whole count of 0 or more; here "1,234" and "1.234" both mean 1234."""
    number, percent, err = _number(value, "count", _EXPECTED_WHOLE)
    if number is None:
        return None, err
    if percent or not number.is_integer():
        return None, _EXPECTED_WHOLE
    if number < 0:
        return None, _EXPECTED_COUNT
    return int(number), None


_PERIOD_PREFIX = re.compile(r"^p(?:eriod)?\s*", re.IGNORECASE)


def parse_period(value: Any) -> tuple[int | None, str | None]:
    """A reporting period number: 3, "3", "P3" or "Period 3"."""
    invalid = formula_error(value) or "expected a period number such as 3 or P3"
    if isinstance(value, str):
        value = _PERIOD_PREFIX.sub("", value.strip())
    number, err = parse_int(value)
    if err:
        return None, invalid
    if number is None:
        return None, None
    if number < 1:
        return None, "expected a period number such as 3 or P3"
    return number, None


def _parse_degrees(value: Any, limit: float, message: str) -> tuple[float | None, str | None]:
    number, percent, err = _number(value, "degrees", message)
    if number is None:
        return None, err
    if percent or not -limit <= number <= limit:
        return None, message
    return number, None


def parse_lat(value: Any) -> tuple[float | None, str | None]:
    """A latitude in degrees, -90..90."""
    return _parse_degrees(value, 90, "expected a latitude between -90 and 90")


def parse_lon(value: Any) -> tuple[float | None, str | None]:
    """A longitude in degrees, -180..180."""
    return _parse_degrees(value, 180, "expected a longitude between -180 and 180")


def _country_key(text: str) -> str:
    """Case-, whitespace- and diacritics-insensitive form of a country name or code."""
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text).strip()).casefold()
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Normalised ISO codes, English names and local aliases -> ISO alpha-2 code."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for field in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            name = getattr(country, field, None)
            if name is None:
                continue
            key = _country_key(name)
            if index.setdefault(key, country.alpha_2) != country.alpha_2:
                raise ValueError(f"pycountry names {key!r} for two countries")
    lines = COUNTRY_ALIASES_PATH.read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    index.update((_country_key(row["name"]), row["code"].strip()) for row in rows)
    return index


@lru_cache(maxsize=4096)
def _country_code(text: str) -> str | None:
    return _country_index().get(_country_key(text))


def parse_country(value: Any) -> tuple[str | None, str | None]:
    """A country as ISO 3166-1 alpha-2 (RS) from a code (RS, SRB), an English name or a local name."""
    value, err = _start(value)
    if value is None:
        return None, err
    code = _country_code(value) if isinstance(value, str) else None
    return (code, None) if code else (None, _UNKNOWN_COUNTRY)


def country_name(code: str) -> str:
    """The English common name of an ISO alpha-2 code ("Kosovo" for XK); unknown codes come back as given."""
    code = code.strip().upper()
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def _enum_key(text: str) -> str:
    return _SEPARATOR_RUNS.sub(" ", text.casefold()).strip()


_ENUM_INDEXES: dict[int, tuple[tuple[str, ...], dict[str, str]]] = {}


def _enum_index(choices: tuple[str, ...]) -> dict[str, str]:
    """A vocabulary's values by their matching key, made once per vocabulary: keyed by the tuple's identity (kept
    in the entry, so the id cannot be reused), as hashing a 100 000-value tuple on every cell took minutes."""
    entry = _ENUM_INDEXES.get(id(choices))
    if entry is None or entry[0] is not choices:
        if len(_ENUM_INDEXES) >= 64:
            _ENUM_INDEXES.clear()
        entry = _ENUM_INDEXES[id(choices)] = (choices, {_enum_key(choice): choice for choice in choices})
    return entry[1]


def _enum_match(text: str, choices: tuple[str, ...]) -> str | None:
    return _enum_index(choices).get(_enum_key(text))


def parse_enum(value: Any, choices: tuple[str, ...]) -> tuple[str | None, str | None]:
    """One of choices, ignoring case, spacing, '-' and '_'; returns the choice as written in choices."""
    value, err = _start(value)
    if value is None:
        return None, err
    choice = _enum_match(_as_text(value), choices)
    return (choice, None) if choice else (None, "expected one of: " + name_some(choices))


def parse_url(value: Any) -> tuple[str | None, str | None]:
    """A web link starting with http:// or https://, returned exactly as written."""
    value, err = _start(value)
    if value is None:
        return None, err
    if not isinstance(value, str):
        return None, _EXPECTED_LINK
    if _URL.fullmatch(value):
        return value, None
    if _URL_WITH_SPACES.match(value):
        return None, _LINK_WITH_SPACES
    return None, _EXPECTED_LINK


_EMAIL = re.compile(r"[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"'.]+")


def parse_emails(value: Any) -> tuple[tuple[str, ...] | None, str | None]:
    """E-mail addresses separated by ',', ';' or line breaks, in order, without duplicates.

    The message of a bad cell never repeats the cell: addresses are personal data.
    """
    value, err = _start(value)
    if value is None:
        return None, err
    parts = [part.strip() for part in _ID_SEPARATORS.split(_as_text(value)) if part.strip()]
    bad = sum(1 for part in parts if not _EMAIL.fullmatch(part))
    if bad:
        which = "is not an e-mail address" if len(parts) == 1 else f"{bad} of its {len(parts)} parts are not addresses"
        return None, f"expected e-mail addresses like name@example.org separated by , or ; ({which})"
    return (tuple(dict.fromkeys(parts)) or None), None


PARSERS: dict[str, Callable[[Any], tuple[Any, str | None]]] = {
    "id": parse_id,
    "text": parse_text,
    "date": parse_date,
    "int": parse_int,
    "period": parse_period,
    "number": parse_number,
    "country": parse_country,
    "ids": parse_ids,
    "url": parse_url,
    "emails": parse_emails,
    "lat": parse_lat,
    "lon": parse_lon,
}


def parse_cell(value: Any, kind: ColumnKind, choices: tuple[str, ...] = ()) -> tuple[Any, str | None]:
    """Read one cell of the given column kind; enumerated columns need their choices."""
    if kind == "enum":
        return parse_enum(value, choices)
    return PARSERS[kind](value)
