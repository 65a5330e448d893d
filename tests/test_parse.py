"""Hand-written expectations for monitoring.sheet.parse: one cell in, (value, error) out."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import get_args

import numpy as np
import pandas as pd
import pytest

from monitoring.model.contract import ACTIVITY_TYPES, CLUSTERS, ROLES, ColumnKind
from monitoring.sheet.parse import (
    PARSERS,
    country_name,
    formula_error,
    is_empty,
    normalise_header,
    parse_cell,
    parse_country,
    parse_date,
    parse_enum,
    parse_id,
    parse_ids,
    parse_int,
    parse_lat,
    parse_lon,
    parse_number,
    parse_period,
    parse_text,
    parse_url,
)

EMPTY = [None, float("nan"), "", "   ", "\t\n", "\u00a0", pd.NA, pd.NaT, np.float64("nan")]
ALL_PARSERS = [*PARSERS.values(), lambda v: parse_enum(v, CLUSTERS)]


def ok(result: tuple[object, str | None]) -> object:
    value, err = result
    assert err is None, err
    return value


def error(result: tuple[object, str | None]) -> str:
    value, err = result
    assert value is None
    assert err
    return err


# --- common behaviour ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", EMPTY)
def test_is_empty(value: object) -> None:
    assert is_empty(value)


@pytest.mark.parametrize("value", [0, 0.0, False, "0", "x", " x ", date(2025, 3, 14)])
def test_is_not_empty(value: object) -> None:
    assert not is_empty(value)


@pytest.mark.parametrize("parser", ALL_PARSERS)
@pytest.mark.parametrize("value", EMPTY)
def test_empty_cells_give_no_value_and_no_error(parser, value: object) -> None:
    assert parser(value) == (None, None)


@pytest.mark.parametrize(
    ("value", "code"),
    [("#REF!", "#REF!"), (" #n/a ", "#N/A"), ("#DIV/0!", "#DIV/0!"), ("#value!", "#VALUE!"), ("#NAME?", "#NAME?")]
    + [(code, code) for code in ("#NUM!", "#NULL!", "#ERROR!", "#SPILL!", "#CALC!")],
)
def test_formula_error(value: str, code: str) -> None:
    assert formula_error(value) == f"spreadsheet formula error {code}"


@pytest.mark.parametrize("value", ["#1", "REF!", "#REF! here", 5, None, float("nan")])
def test_no_formula_error(value: object) -> None:
    assert formula_error(value) is None


@pytest.mark.parametrize("parser", ALL_PARSERS)
@pytest.mark.parametrize("value", ["#REF!", " #ref! "])
def test_every_parser_reports_formula_errors(parser, value: str) -> None:
    assert "#REF!" in error(parser(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" Partner-ID ", "partner_id"),
        ("Partner  ID", "partner_id"),
        ("partner_id", "partner_id"),
        ("__Partner - _ID__", "partner_id"),
        ("Evidence\nURL", "evidence_url"),
        ("LAT", "lat"),
        (2025, "2025"),
        (None, ""),
        (float("nan"), ""),
        ("  ", ""),
    ],
)
def test_normalise_header(value: object, expected: str) -> None:
    assert normalise_header(value) == expected


# --- text and identifiers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Kick-off  meeting ", "Kick-off  meeting"),
        ("Čačak", "Čačak"),
        ("Târgu Mureș", "Târgu Mureș"),
        ("Нови Сад", "Нови Сад"),
        ('=HYPERLINK("x")', '=HYPERLINK("x")'),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("line one\nline two", "line one\nline two"),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        (True, "TRUE"),
        (False, "FALSE"),
        (np.int64(7), "7"),
        (date(2025, 3, 14), "2025-03-14"),
        (datetime(2025, 3, 14), "2025-03-14"),
        (datetime(2025, 3, 14, 9, 30), "2025-03-14 09:30:00"),
    ],
)
def test_parse_text(value: object, expected: str) -> None:
    assert ok(parse_text(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(" P01 ", "P01"), (3.0, "3"), (3, "3"), ("003", "003"), ("A 1", "A 1")]
)
def test_parse_id(value: object, expected: str) -> None:
    assert ok(parse_id(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("P01; P02,P03 ,, P01", ("P01", "P02", "P03")),
        ("P01", ("P01",)),
        ("P03\nP01\r\nP02", ("P03", "P01", "P02")),
        ("p01, P01", ("p01", "P01")),
        (7.0, ("7",)),
        (7, ("7",)),
    ],
)
def test_parse_ids(value: object, expected: tuple[str, ...]) -> None:
    assert ok(parse_ids(value)) == expected


def test_parse_ids_of_separators_only_is_empty() -> None:
    assert parse_ids(" ,; ") == (None, None)


# --- dates ---------------------------------------------------------------------------------------------------------

MARCH_14 = date(2025, 3, 14)


def test_serial_epoch() -> None:
    assert date(1899, 12, 30) + timedelta(45730) == MARCH_14


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-14",
        " 2025-03-14 ",
        "2025-3-14",
        "2025-03-14 00:00:00",
        "2025-03-14T10:15:00",
        "2025-03-14T10:15:00.123+01:00",
        "2025-03-14T10:15:00Z",
        "2025/03/14",
        "2025. 03. 14.",
        "14.03.2025",
        "14/03/2025",
        "14-03-2025",
        "14. 3. 2025",
        "14. 3. 2025.",
        "14.03.2025 00:00",
        45730,
        45730.0,
        45730.75,
        "45730",
        np.int64(45730),
        MARCH_14,
        datetime(2025, 3, 14, 23, 59),
        pd.Timestamp("2025-03-14 12:00"),
        np.datetime64("2025-03-14T00:00:00.000000000"),
    ],
)
def test_parse_date_accepts(value: object) -> None:
    assert ok(parse_date(value)) == MARCH_14


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4.3.2025", date(2025, 3, 4)), ("01/02/2025", date(2025, 2, 1)), ("29.02.2024", date(2024, 2, 29))],
)
def test_parse_date_is_always_day_first(value: str, expected: date) -> None:
    assert ok(parse_date(value)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2025", "real calendar day"),
        ("29.02.2025", "real calendar day"),
        ("03/14/2025", "day first"),
        ("2025-02-31", "real calendar day"),
        ("2025-13-01", "real calendar day"),
        ("14.03.25", "four digits"),
        ("14/3/25", "four digits"),
        ("14.03/2025", "expected a date like 2025-03-14 or 14.03.2025"),
        ("14.03.202", "expected a date like"),
        ("March 14", "expected a date like"),
        ("yesterday", "expected a date like"),
        ("2025", "not a plausible date serial"),
        (1000, "not a plausible date serial"),
        (19999, "not a plausible date serial"),
        (80001, "not a plausible date serial"),
        (-45730, "not a plausible date serial"),
        (float("inf"), "not a plausible date serial"),
        (True, "expected a date like"),
    ],
)
def test_parse_date_rejects(value: object, message: str) -> None:
    assert message in error(parse_date(value))


@pytest.mark.parametrize(("serial", "expected"), [(20000, date(1954, 10, 3)), (80000, date(2119, 1, 11))])
def test_parse_date_serial_range_is_inclusive(serial: int, expected: date) -> None:
    assert ok(parse_date(serial)) == expected


# --- numbers -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,5", 1.5),
        ("1.5", 1.5),
        (" 42 ", 42.0),
        ("-1,5", -1.5),
        ("+3", 3.0),
        ("\u22122", -2.0),
        ("- 2", -2.0),
        ("0,123", 0.123),
        ("1234,567", 1234.567),
        (",5", 0.5),
        ("1.234", 1.234),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1,234,567", 1234567.0),
        ("1,234,567.89", 1234567.89),
        ("1 234", 1234.0),
        ("1\u00a0234,5", 1234.5),
        ("1\u202f234\u202f567", 1234567.0),
        ("1'234", 1234.0),
        ("1'234.50", 1234.5),
        ("12%", 0.12),
        ("12,5 %", 0.125),
        ("-5%", -0.05),
        ("1.5E+3", 1500.0),
        (3, 3.0),
        (2.5, 2.5),
        (-7.25, -7.25),
        (np.float64(2.5), 2.5),
    ],
)
def test_parse_number(value: object, expected: float) -> None:
    result = ok(parse_number(value))
    assert isinstance(result, float)
    assert math.isclose(result, expected)


def test_parse_number_ambiguous_comma() -> None:
    err = error(parse_number("1,234"))
    assert "ambiguous" in err
    assert "ambiguous" in error(parse_number("-12,500 %"))


@pytest.mark.parametrize(
    "value",
    ["abc", "1,2.3", "1.2.3", "1,23,456", "12 34", "1 5", "5.", "1,,5", "%", "-", "1-2", "€ 10", True, float("inf")],
)
def test_parse_number_rejects(value: object) -> None:
    assert error(parse_number(value)) == "expected a number"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234", 1234),
        ("1.234", 1234),
        ("1.234.567", 1234567),
        ("1 234", 1234),
        ("12", 12),
        ("2,0", 2),
        ("2.0", 2),
        ("0", 0),
        ("-0", 0),
        (2.0, 2),
        (7, 7),
        (np.int64(7), 7),
    ],
)
def test_parse_int(value: object, expected: int) -> None:
    result = ok(parse_int(value))
    assert type(result) is int
    assert result == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2,5", "expected a whole number"),
        ("1.2345", "expected a whole number"),
        ("0,123", "expected a whole number"),
        (2.5, "expected a whole number"),
        ("12%", "expected a whole number"),
        ("many", "expected a whole number"),
        (True, "expected a whole number"),
        (-3, "expected a count of 0 or more"),
        ("-3", "expected a count of 0 or more"),
        (-3.0, "expected a count of 0 or more"),
    ],
)
def test_parse_int_rejects(value: object, message: str) -> None:
    assert error(parse_int(value)) == message


@pytest.mark.parametrize(
    ("parser", "value", "expected"),
    [
        (parse_lat, "45.2671", 45.2671),
        (parse_lat, "45,2671", 45.2671),
        (parse_lat, "45,267", 45.267),  # 45267 degrees is impossible, so the comma is a decimal mark
        (parse_lat, -90, -90.0),
        (parse_lat, 90.0, 90.0),
        (parse_lon, "19,833", 19.833),
        (parse_lon, "-180", -180.0),
        (parse_lon, 179.99, 179.99),
    ],
)
def test_parse_coordinates(parser, value: object, expected: float) -> None:
    assert math.isclose(ok(parser(value)), expected)


@pytest.mark.parametrize(
    ("parser", "value", "message"),
    [
        (parse_lat, 90.5, "expected a latitude between -90 and 90"),
        (parse_lat, "-91", "expected a latitude between -90 and 90"),
        (parse_lat, "45%", "expected a latitude between -90 and 90"),
        (parse_lat, "north", "expected a latitude between -90 and 90"),
        (parse_lat, "1.234,5", "expected a latitude between -90 and 90"),
        (parse_lon, 180.01, "expected a longitude between -180 and 180"),
        (parse_lon, "200", "expected a longitude between -180 and 180"),
        (parse_lon, True, "expected a longitude between -180 and 180"),
    ],
)
def test_parse_coordinates_rejects(parser, value: object, message: str) -> None:
    assert error(parser(value)) == message


# --- countries -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("RS", "RS"),
        ("rs", "RS"),
        (" srb ", "RS"),
        ("Serbia", "RS"),
        ("Srbija", "RS"),
        ("Србија", "RS"),
        ("România", "RO"),
        ("Romania", "RO"),
        ("ROMÂNIA", "RO"),
        ("Hrvatska", "HR"),
        ("Croatia", "HR"),
        ("България", "BG"),
        ("Bulgaria", "BG"),
        ("Balgariya", "BG"),
        ("Bosnia and Herzegovina", "BA"),
        ("Bosnia & Herzegovina", "BA"),
        ("Bosnia-Herzegovina", "BA"),
        ("Bosna i Hercegovina", "BA"),
        ("Босна и Херцеговина", "BA"),
        ("BiH", "BA"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Česko", "CZ"),
        ("Česká republika", "CZ"),
        ("Ceska republika", "CZ"),
        ("Slovensko", "SK"),
        ("Slovakia", "SK"),
        ("Slovenija", "SI"),
        ("Magyarország", "HU"),
        ("Magyarorszag", "HU"),
        ("Hungary", "HU"),
        ("Österreich", "AT"),
        ("Austria", "AT"),
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("Crna Gora", "ME"),
        ("Црна Гора", "ME"),
        ("Montenegro", "ME"),
        ("Moldova", "MD"),
        ("Republica Moldova", "MD"),
        ("Republic of Moldova", "MD"),
        ("Україна", "UA"),
        ("Ukraine", "UA"),
        ("Kosovo", "XK"),
        ("Kosova", "XK"),
        ("XK", "XK"),
        ("Shqipëria", "AL"),
        ("Albania", "AL"),
        ("North Macedonia", "MK"),
        ("Macedonia", "MK"),
        ("Северна Македонија", "MK"),
        ("UK", "GB"),
        ("United  Kingdom", "GB"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
    ],
)
def test_parse_country(value: str, code: str) -> None:
    assert ok(parse_country(value)) == code


def test_parse_country_nfc_normalises() -> None:
    decomposed = "Roma\u0302nia"  # "â" as "a" + combining circumflex
    assert ok(parse_country(decomposed)) == "RO"


@pytest.mark.parametrize("value", ["Narnia", "Serbija and Croatia", "ZZ", "688", 688, True, "Danube"])
def test_parse_country_rejects(value: object) -> None:
    assert error(parse_country(value)) == "unknown country; use an ISO code like RS or an English name"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("XK", "Kosovo"),
        ("CZ", "Czechia"),
        ("BA", "Bosnia and Herzegovina"),
        ("MD", "Moldova"),
        ("RS", "Serbia"),
        ("rs", "Serbia"),
        ("GB", "United Kingdom"),
    ],
)
def test_country_name(code: str, name: str) -> None:
    assert country_name(code) == name


# --- enumerations --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "choices", "expected"),
    [
        ("industry 4.0", CLUSTERS, "Industry 4.0"),
        (" INDUSTRY  4.0 ", CLUSTERS, "Industry 4.0"),
        ("cross sector", CLUSTERS, "Cross-sector"),
        ("Cross_Sector", CLUSTERS, "Cross-sector"),
        ("it", CLUSTERS, "IT"),
        ("ldg meeting", ACTIVITY_TYPES, "LDG meeting"),
        ("Study-Visit", ACTIVITY_TYPES, "study visit"),
        ("lp", ROLES, "LP"),
        ("Other", ROLES, "other"),
    ],
)
def test_parse_enum(value: str, choices: tuple[str, ...], expected: str) -> None:
    assert ok(parse_enum(value, choices)) == expected


@pytest.mark.parametrize("value", ["lead partner", "L P", "crosssector", 4.0, True])
def test_parse_enum_rejects(value: object) -> None:
    choices = ("LP", "PP", "ASP", "other")
    assert error(parse_enum(value, choices)) == "expected one of: LP, PP, ASP, other"


# --- links ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["https://example.org/report.pdf", "http://example.org", "HTTPS://Example.org/a?b=1#c", "https://x.org/a%20b"],
)
def test_parse_url_accepts_unchanged(value: str) -> None:
    assert ok(parse_url(f"  {value} ")) == value


@pytest.mark.parametrize(
    "value",
    [
        "www.example.org",
        "example.org",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "ftp://example.org",
        "https://",
        'https://example.org/"><script>',
        "mailto:a@example.org",
        42,
        True,
    ],
)
def test_parse_url_rejects(value: object) -> None:
    assert error(parse_url(value)) == "expected a link starting with https://"


def test_parse_url_rejects_two_links() -> None:
    assert error(parse_url("https://a.org https://b.org")) == "expected a single link without spaces"


# --- dispatch ------------------------------------------------------------------------------------------------------


def test_parsers_cover_every_kind_but_enum() -> None:
    assert set(PARSERS) == set(get_args(ColumnKind)) - {"enum"}


@pytest.mark.parametrize(
    ("value", "kind", "choices", "expected"),
    [
        ("14.03.2025", "date", (), (MARCH_14, None)),
        ("1,234", "int", (), (1234, None)),
        ("rs", "country", (), ("RS", None)),
        ("lp", "enum", ROLES, ("LP", None)),
        ("P1;P2", "ids", (), (("P1", "P2"), None)),
        ("", "number", (), (None, None)),
    ],
)
def test_parse_cell(value: object, kind: ColumnKind, choices: tuple[str, ...], expected: tuple) -> None:
    assert parse_cell(value, kind, choices) == expected


@pytest.mark.parametrize(("raw", "expected"), [(3, 3), ("3", 3), ("P3", 3), ("p 2", 2), ("Period 4", 4), ("", None)])
def test_period_numbers_are_read_with_or_without_their_p(raw, expected):
    assert parse_period(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["P0", "x", "2,5", -1])
def test_impossible_period_numbers_are_reported(raw):
    assert parse_period(raw) == (None, "expected a period number such as 3 or P3")
