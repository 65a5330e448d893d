"""The spreadsheet contract: the tabs and columns the dashboard understands, by default.

This module holds the default contract: tab names, column names, which columns are required and
what kind of value each holds. An enumerated column names a *vocabulary* (activity types, roles,
clusters...); the values of each vocabulary, and whether it is open or closed, are declared in
indicators.yaml (`vocabularies:`), with the defaults below. A project may leave out the tabs it
does not keep (`tabs: {pilots: false}`) and declare tabs of its own; `resolve_contract` makes the
contract one project uses, and the cleaner, checks and template writer read that.

- An *open* vocabulary (activity types, organisation types, clusters): a value outside the list is
  kept exactly as written, counted, and reported as a warning with its cell.
- A *closed* vocabulary (roles, hub levels, pilot stages): a value outside the list is an error,
  because it decides what counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

ColumnKind = Literal[
    "id",  # an identifier: text, trimmed, compared as written
    "text",  # free text, any Unicode
    "date",  # ISO, day-first (14.03.2025, 14/03/2025) or a spreadsheet serial number
    "int",  # a whole non-negative count
    "period",  # a reporting period number: 3 or P3
    "number",  # any number: decimal comma, thousands separators, %, stray spaces
    "country",  # ISO alpha-2 code, English or local name -> ISO alpha-2
    "enum",  # one of Column.choices (case-insensitive)
    "ids",  # several identifiers separated by ',' or ';'
    "url",  # a link to evidence
    "emails",  # one or more e-mail addresses separated by ',' or ';' (personal data: managers only)
    "lat",  # latitude in degrees, -90..90
    "lon",  # longitude in degrees, -180..180
]


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()  # an enum's values, from its vocabulary (filled by resolve_contract)
    vocabulary: str = ""  # an enum's vocabulary name, e.g. "activity_types"
    open: bool = False  # an enum whose unknown values are kept, with a warning


@dataclass(frozen=True)
class Tab:
    name: str
    one_row_per: str
    columns: tuple[Column, ...]
    optional: bool = False  # may be missing from the workbook: needed only when an indicator is measured on it
    id_column: str | None = None  # names a record ('A001'); without it a record is '<tab> row <n>'
    title_column: str | None = None  # a record's title, beside its id
    evidence_column: str | None = None  # the link to a record's evidence: a record without it has no evidence
    lead_column: str | None = None  # the organisation a record is attributed to (partners tab)
    partners_column: str | None = None  # every organisation a record involves (kind ids)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


ROLES = ("LP", "PP", "ASP", "other")
ORG_TYPES = (
    "public authority",
    "university",
    "innovation agency",
    "business support organisation",
    "SME",
    "start-up",
    "NGO",
)
HUBS = ("advanced", "developing")
CLUSTERS = ("IT", "Industry 4.0", "Cross-sector")
PILOT_STAGES = (
    "planned",
    "requirements",
    "selected",
    "methodology",
    "implementation",
    "completed",
    "validated",
)
ACTIVITY_TYPES = (
    "exchange",
    "benchmarking",
    "training",
    "workshop",
    "event",
    "study visit",
    "LDG meeting",
    "steering committee",
)
# The stage columns of a Local Action Plan, in the order a plan passes through them.
LAP_STAGES = (
    "stakeholders_identified",
    "ldg_activated",
    "mou_signed",
    "workshops_held",
    "lap_drafted",
    "lap_adopted",
    "taken_up",
)
LAP_STAGE_LABELS = {
    "stakeholders_identified": "Stakeholders identified",
    "ldg_activated": "LDG activated",
    "mou_signed": "MoU signed",
    "workshops_held": "Workshops held",
    "lap_drafted": "LAP drafted",
    "lap_adopted": "LAP adopted",
    "taken_up": "Taken up",
}

_DEFAULT_TABS: dict[str, Tab] = {
    t.name: t
    for t in (
        Tab(
            "partners",
            "organisation (partners, associated strategic partners, others)",
            (
                Column("partner_id", "id", True, "Short unique id, e.g. P01."),
                Column("name", "text", True, "The organisation's name."),
                Column("country", "country", True, "ISO code (RS), English or local name."),
                Column(
                    "role",
                    "enum",
                    True,
                    "LP lead partner, PP partner, ASP associated strategic partner, other.",
                    vocabulary="roles",
                ),
                Column("city", "text", help="City of the organisation."),
                Column("location_id", "id", help="The project location it belongs to (locations tab)."),
                Column(
                    "org_type",
                    "enum",
                    help="Public authority, university, innovation agency, SME, start-up, NGO...",
                    vocabulary="org_types",
                ),
                Column("lat", "lat", help="Latitude in degrees (optional; else the location's)."),
                Column("lon", "lon", help="Longitude in degrees (optional; else the location's)."),
                Column(
                    "email",
                    "emails",
                    help="Who receives its to-do list: e-mail addresses, separated by , or ; (managers only).",
                ),
            ),
            id_column="partner_id",
        ),
        Tab(
            "locations",
            "project location",
            (
                Column("location_id", "id", True, "Short unique id, e.g. L01."),
                Column("name", "text", True, "City or region name."),
                Column("country", "country", True, "ISO code (RS), English or local name."),
                Column("lat", "lat", True, "Latitude in degrees, e.g. 45.2671."),
                Column("lon", "lon", True, "Longitude in degrees, e.g. 19.8335."),
                Column("hub", "enum", help="advanced or developing innovation hub.", vocabulary="hubs"),
            ),
            id_column="location_id",
        ),
        Tab(
            "activities",
            "joint activity",
            (
                Column("activity_id", "id", True, "Short unique id, e.g. A001."),
                Column("date", "date", True, "The day it took place: 2025-03-14, 14.03.2025 or 14/03/2025."),
                Column("type", "enum", True, "Kind of activity.", vocabulary="activity_types"),
                Column("title", "text", True, "What it was."),
                Column(
                    "partner_ids",
                    "ids",
                    True,
                    "The organisations involved, separated by , or ; yours first: its to-dos go to the first.",
                ),
                Column("location_id", "id", help="Where it took place (locations tab)."),
                Column("participants", "int", help="Number of participants."),
                Column("cluster", "enum", help="IT, Industry 4.0 or Cross-sector.", vocabulary="clusters"),
                Column("evidence_url", "url", help="Link to the agenda, list of participants, report..."),
            ),
            id_column="activity_id",
            title_column="title",
            evidence_column="evidence_url",
            partners_column="partner_ids",
        ),
        Tab(
            "action_plans",
            "Local Action Plan (one per location)",
            (
                Column("lap_id", "id", True, "Short unique id, e.g. LAP01."),
                Column("location_id", "id", True, "The location the plan is for."),
                Column("title", "text", True, "Title of the plan."),
                Column("lead_partner_id", "id", help="The organisation leading it (partners tab)."),
                Column("stakeholders_identified", "date", help="Date the stakeholders were identified."),
                Column("ldg_activated", "date", help="Date the Local Discovery Group was activated."),
                Column("ldg_members", "int", help="Members of the Local Discovery Group."),
                Column("mou_signed", "date", help="Date the MoU was signed."),
                Column("workshops_held", "date", help="Date the workshops were completed."),
                Column("lap_drafted", "date", help="Date the plan was drafted."),
                Column("lap_adopted", "date", help="Date the plan was adopted (finalised)."),
                Column("taken_up", "date", help="Date its implementation started."),
                Column("document_url", "url", help="Link to the plan's document."),
            ),
            optional=True,
            id_column="lap_id",
            title_column="title",
            evidence_column="document_url",
            lead_column="lead_partner_id",
        ),
        Tab(
            "pilots",
            "pilot project",
            (
                Column("pilot_id", "id", True, "Short unique id, e.g. PIL01."),
                Column("title", "text", True, "Title of the pilot."),
                Column("cluster", "enum", True, "IT, Industry 4.0 or Cross-sector.", vocabulary="clusters"),
                Column("location_id", "id", True, "Where it runs (locations tab)."),
                Column("lead_partner_id", "id", True, "The organisation leading it (partners tab)."),
                Column("partner_ids", "ids", help="All organisations involved, separated by , or ;"),
                Column("stage", "enum", True, "Stage reached.", vocabulary="pilot_stages"),
                Column("start", "date", help="Start of implementation."),
                Column("end", "date", help="End of implementation (completion)."),
                Column("validated_on", "date", help="Date the scientific partners validated it."),
                Column("validation_url", "url", help="Link to the validation report."),
                Column("solution", "text", help="The jointly developed solution it produced."),
                Column("replicated_in", "ids", help="Location ids where it was replicated."),
            ),
            optional=True,
            id_column="pilot_id",
            title_column="title",
            evidence_column="validation_url",
            lead_column="lead_partner_id",
            partners_column="partner_ids",
        ),
        Tab(
            "indicator_values",
            "reported achievement of an indicator",
            (
                Column("indicator", "id", True, "Indicator code as in indicators.yaml."),
                Column("date", "date", True, "Date the value was achieved."),
                Column("value", "number", True, "The amount achieved on that date (not cumulative)."),
                Column("partner_id", "id", help="Organisation reporting it."),
                Column("location_id", "id", help="Location it concerns."),
                Column("evidence_url", "url", help="Link to the evidence."),
                Column("comment", "text", help="Anything a reader should know."),
                Column("output", "id", help="The project output it counts for (2.1), where outputs filter on it."),
            ),
            optional=True,
            title_column="comment",
            evidence_column="evidence_url",
            lead_column="partner_id",
        ),
        Tab(
            "milestones",
            "planned cumulative value of an indicator at the end of a reporting period",
            (
                Column("indicator", "id", True, "Indicator code as in indicators.yaml."),
                Column("period", "period", True, "Reporting period number: 1, 2, ... (P1 is accepted)."),
                Column("planned", "number", True, "Planned cumulative value at the period's end."),
            ),
            optional=True,
        ),
        Tab(
            "reported",
            "value submitted in a Jems project report, for one output or result",
            (
                Column("period", "period", True, "The reporting period of the submitted report: 1, 2, ... (P1 too)."),
                Column("code", "id", True, "The output's number (2.1), or the result's number or indicator code."),
                Column(
                    "value", "number", True, "The value submitted as this report's current report (not cumulative)."
                ),
                Column("submitted_on", "date", True, "The day the report was submitted in Jems."),
                Column("comment", "text", help="Anything a reader should know."),
            ),
            optional=True,
        ),
    )
}


# The default lifecycles (SpinIT's), shaped as indicators.yaml's `lifecycles:`; a declared one replaces its tab's.
# A Local Action Plan's stages are date columns; a pilot's stage is recorded in `stage` (so the pilot_stages
# vocabulary is these stages), and three of them carry the date that marks them.
DEFAULT_LIFECYCLES: dict[str, dict[str, object]] = {
    "action_plans": {
        "stages": [{"column": column, "label": LAP_STAGE_LABELS[column]} for column in LAP_STAGES],
        "done": "taken_up",
        "title": "Local Action Plans",
        "tallies": [
            {
                "column": "ldg_members",
                "label": "LDG members",
                "after": "ldg_activated",
                "help": "Members of the Local Discovery Group, once it is activated.",
            }
        ],
        "local_activities": [
            {"type": "LDG meeting", "label": "LDG meetings"},
            {"type": "workshop", "label": "Workshops"},
        ],
    },
    "pilots": {
        "stage_column": "stage",
        "stages": [
            {"name": name, **({"date": date} if date else {})}
            for name, date in zip(PILOT_STAGES, (None, None, None, None, "start", "end", "validated_on"), strict=True)
        ],
        "done": "validated",
        "awaits": "validation",
        "headline": [
            {"label": "In implementation", "stages": ["implementation"]},
            {"label": "Completed, not validated", "stages": ["completed"]},
            {"label": "Validated", "stages": ["validated"]},
        ],
    },
}
DEFAULT_STALL_DAYS = 120  # days in one stage, before `done`, after which a plan or pilot is stalled

# The default vocabularies (SpinIT's): name -> (values, open). indicators.yaml's `vocabularies:` overrides them.
DEFAULT_VOCABULARIES: dict[str, tuple[tuple[str, ...], bool]] = {
    "activity_types": (ACTIVITY_TYPES, True),
    "org_types": (ORG_TYPES, True),
    "clusters": (CLUSTERS, True),
    "roles": (ROLES, False),
    "hubs": (HUBS, False),
    "pilot_stages": (PILOT_STAGES, False),  # always the stages of the pilots' lifecycle (Settings.vocabulary_values)
}


def resolve_contract(
    vocabularies: dict[str, tuple[tuple[str, ...], bool]],
    extra: dict[str, Tab] | None = None,
    left_out: frozenset[str] = frozenset(),
) -> dict[str, Tab]:
    """The contract one project uses: the default tabs minus `left_out`, plus `extra`, every enum column
    holding its vocabulary's values and openness."""

    def with_vocabulary(column: Column) -> Column:
        if column.kind != "enum" or not column.vocabulary:
            return column
        values, is_open = vocabularies[column.vocabulary]
        return replace(column, choices=tuple(values), open=is_open)

    tabs = {name: tab for name, tab in _DEFAULT_TABS.items() if name not in left_out} | (extra or {})
    return {name: replace(tab, columns=tuple(with_vocabulary(c) for c in tab.columns)) for name, tab in tabs.items()}


# The default contract: every default tab, with the default vocabularies.
TABS: dict[str, Tab] = resolve_contract(DEFAULT_VOCABULARIES)


def enum_choices(contract: dict[str, Tab]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(tab, column) -> allowed values, for every enumerated column."""
    return {(t.name, c.name): c.choices for t in contract.values() for c in t.columns if c.kind == "enum"}


@dataclass(frozen=True)
class TabMapping:
    """How a workbook's own names map onto the contract (from indicators.yaml)."""

    tab_names: dict[str, str] = field(default_factory=dict)  # contract tab -> workbook tab
    column_names: dict[str, dict[str, str]] = field(default_factory=dict)  # tab -> {contract col: workbook col}
