"""Pilots: the portfolio by cluster and stage, what is stuck, validation, replication, and RCO84/RCO116/RCR104."""

import altair as alt
import pandas as pd
import streamlit as st

from monitoring import pipelines
from monitoring.contract import CLUSTERS, PILOT_STAGES
from monitoring.parse import country_name
from ui import components
from ui.context import current

# Status -> colour (Okabe-Ito) and a symbol, so the status never depends on colour alone.
STATUS_STYLE = {
    pipelines.STALLED: ("#D55E00", "■"),
    pipelines.MOVING: ("#0072B2", "►"),
    pipelines.DONE: ("#009E73", "✔"),
    pipelines.NO_DATE: ("#999999", "○"),
}
STATUS_ORDER = [pipelines.STALLED, pipelines.MOVING, pipelines.NO_DATE, pipelines.DONE]
PAST = "earlier stage"  # a stage the pilot has left: grey in the Gantt

ctx = current()
data = ctx.data
as_of = ctx.as_of
cutoff = pd.Timestamp(as_of)
stall_days = ctx.settings.stall_days
locations = data.tables["locations"].drop_duplicates("location_id").set_index("location_id")
partners = data.tables["partners"].drop_duplicates("partner_id").set_index("partner_id")
place = components.place_namer(data)


def org(partner_id: str) -> str:
    return str(partners.at[partner_id, "name"]) if partner_id in partners.index else partner_id


def members(lead: object, ids: object) -> list[str]:
    """The lead first, then the other organisations, each once."""
    out = [lead] if isinstance(lead, str) else []
    return out + [p for p in (ids if isinstance(ids, tuple) else ()) if p not in out]


def counted(code: str) -> pd.DataFrame | None:
    """The engine's contributions to `code` dated on or before the as-of day; None if not configured."""
    if code not in data.contributions:
        return None
    contribs = data.contributions[code]
    return contribs[contribs["date"] <= cutoff]


def status_text(status: str, stage: str | None, days: object, since: pd.Timestamp) -> str:
    symbol = STATUS_STYLE[status][1]
    if status == pipelines.DONE:
        return f"{symbol} validated {since:%d %b %Y}"
    if status == pipelines.NO_DATE:
        return f"{symbol} {stage or 'no stage'} · no date"
    waiting = " awaiting validation" if stage == "completed" else f" in {stage}"
    return f"{symbol} {status} · {days} days{waiting}"


st.markdown(f"## Pilots · as of {as_of:%d %b %Y}")
st.caption(
    "The sheet records each pilot's current stage; its stage on a past day is derived from the start, end and "
    "validation dates (a date after the day means that stage was not reached yet). A pilot is **stalled** after "
    f"more than {stall_days} days in implementation or waiting for validation (`stall_days` in indicators.yaml)."
)
if data.source.sample:
    components.sample_banner()

everything = pipelines.pilots_as_of(data.tables["pilots"], as_of, stall_days)
if everything.empty:
    st.info("The pilots tab has no pilots yet.", icon=":material/info:")
    st.stop()
everything["place"] = everything["location_id"].map(place)
everything["label"] = everything["pilot_id"].astype(str) + " · " + everything["place"]
everything["status_text"] = [
    status_text(s, g, d, t)
    for s, g, d, t in zip(
        everything["status"], everything["stage"], everything["days_in_stage"], everything["since"], strict=True
    )
]

# --- Filters (bound to the URL: ?pilot_cluster=IT&pilot_location=Sofia&pilot_stage=completed) ---
cluster_options = list(CLUSTERS) + sorted(set(everything["cluster"].dropna()) - set(CLUSTERS))
place_ids = list(dict.fromkeys([*everything["location_id"].dropna(), *everything["replicated_in"].dropna().explode()]))
place_options = sorted({place(loc) for loc in place_ids if isinstance(loc, str)})
f1, f2, f3 = st.columns(3)
chosen_clusters = f1.multiselect(
    "Cluster", cluster_options, key="pilot_cluster", bind="query-params", placeholder="All clusters"
)
chosen_places = f2.multiselect(
    "Location",
    place_options,
    key="pilot_location",
    bind="query-params",
    placeholder="All locations",
    help="Pilots that run in, or were replicated in, these locations.",
)
chosen_stages = f3.multiselect(
    "Stage on the as-of day", list(PILOT_STAGES), key="pilot_stage", bind="query-params", placeholder="All stages"
)
mask = pd.Series(True, index=everything.index)
if chosen_clusters:
    mask &= everything["cluster"].isin(chosen_clusters)
if chosen_places:
    where = [
        {place(loc) for loc in [home, *(reps if isinstance(reps, tuple) else ())]}
        for home, reps in zip(everything["location_id"], everything["replicated_in"], strict=True)
    ]
    mask &= pd.Series([bool(w & set(chosen_places)) for w in where], index=everything.index)
if chosen_stages:
    mask &= everything["stage"].isin(chosen_stages)
shown = everything[mask].sort_values(
    ["status", "days_in_stage", "pilot_id"],
    key=lambda col: col.map(STATUS_ORDER.index) if col.name == "status" else col,
    ascending=[True, False, True],
    na_position="last",
    kind="stable",
)
filtered = len(shown) < len(everything)
order = shown["label"].tolist()

# --- Headline numbers ---
cols = st.columns(5)
cols[0].metric("Pilots", f"{len(shown)} of {len(everything)}" if filtered else len(shown))
cols[1].metric("Stalled", int(shown["stalled"].sum()), help=f"More than {stall_days} days in the same stage.")
cols[2].metric("In implementation", int((shown["stage"] == "implementation").sum()))
cols[3].metric("Completed, not validated", int((shown["stage"] == "completed").sum()))
cols[4].metric("Validated", int((shown["stage"] == "validated").sum()))

# --- What is stuck, in words ---
stalled = shown[shown["stalled"]]
if stalled.empty:
    st.success(f"No pilot has spent more than {stall_days} days in a stage.", icon=":material/check_circle:")
else:
    lines = []
    for r in stalled.itertuples():
        what = (
            f"completed {r.since:%d %b %Y}, **{r.days_in_stage} days** without validation"
            if r.stage == "completed"
            else f"{r.stage} since {r.since:%d %b %Y}, **{r.days_in_stage} days**"
        )
        where = "" if r.place in str(r.title) else f" · {components.escape_md(r.place)}"
        lines.append(
            f"**{components.escape_md(r.pilot_id)}** {components.escape_md(r.title)}{where} · "
            f"{components.escape_md(r.cluster or '')}: {what}"
        )
    st.warning(
        f"**{len(stalled)} pilot{'' if len(stalled) == 1 else 's'} stalled** (more than {stall_days} days in the same stage)  \n"
        + "  \n".join(lines),
        icon=":material/pause_circle:",
    )
undated = shown[shown["status"] == pipelines.NO_DATE]
if not undated.empty:
    names = "; ".join(
        f"**{components.escape_md(r.pilot_id)}** {components.escape_md(r.place)} ({r.stage or 'no stage'})"
        for r in undated.itertuples()
    )
    st.info(
        f"Not in implementation on {as_of:%d %b %Y}: {names}. The sheet has no dates for the stages before "
        "implementation, so their time in the stage cannot be counted.",
        icon=":material/schedule:",
    )


def portfolio_view() -> None:
    """The cluster x stage matrix, and how the pilots add up to RCO84, RCO116 and RCR104."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Portfolio: cluster × stage")
        matrix = pipelines.stage_matrix(
            shown, tuple(c for c in cluster_options if not chosen_clusters or c in chosen_clusters)
        )
        matrix["text"] = matrix["pilots"].map(lambda n: str(n) if n else "·")
        x_stage = alt.X(
            "stage:N",
            sort=list(PILOT_STAGES),
            title=None,
            axis=alt.Axis(labelAngle=-35, orient="top", labelOverlap=False, labelFontSize=12),
        )
        y_cluster = alt.Y("cluster:N", sort=None, title=None)
        top = max(int(matrix["pilots"].max()), 1)
        components.altair_chart(
            alt.layer(
                alt.Chart(matrix)
                .mark_rect(stroke="white", strokeWidth=2)
                .encode(
                    x=x_stage,
                    y=y_cluster,
                    color=alt.Color(
                        "pilots:Q", scale=alt.Scale(domain=[0, top], range=["#F5F7FA", "#0072B2"]), legend=None
                    ),
                    tooltip=["cluster:N", "stage:N", "pilots:Q"],
                ),
                alt.Chart(matrix)
                .mark_text(fontSize=16, fontWeight="bold")
                .encode(
                    x=x_stage,
                    y=y_cluster,
                    text="text:N",
                    color=alt.condition(f"datum.pilots > {top / 2}", alt.value("white"), alt.value("#1F2933")),
                ),
            ).properties(height=50 * matrix["cluster"].nunique() + 100),
            width="stretch",
        )
        st.caption(f"Number of pilots at each stage on {as_of:%d %b %Y}; '·' is none.")
    with right:
        st.subheader("How pilots add up to the indicators")
        st.caption("All pilots: the filters do not change the indicators.")
        done = everything[everything["stage"].isin(["completed", "validated"])]
        line = components.indicator_tie(
            data,
            "RCO84",
            as_of,
            "pilot completed with organisations from 2+ countries",
            "pilots completed with organisations from 2+ countries",
        )
        if line:
            st.markdown(line)
            lonely = done[~done["jointly_developed"]]
            extra = (
                f"; not counted, organisations from one country only: {', '.join(lonely['pilot_id'].map(components.escape_md))}"
                if not lonely.empty
                else ""
            )
            st.caption(f"{len(done)} pilot(s) completed or validated{extra}.")
        line = components.indicator_tie(
            data, "RCO116", as_of, "distinct solution from validated pilots", "distinct solutions from validated pilots"
        )
        if line:
            st.markdown(line)
            solution_of = dict(zip(everything["pilot_id"], everything["solution"], strict=True))
            solutions = [
                f"{components.escape_md(solution_of.get(r) or r)} ({components.escape_md(r)})"
                for r in counted("RCO116")["record"]
            ]
            st.caption("Solutions: " + ("; ".join(solutions) or "none yet") + ".")
        line = components.indicator_tie(
            data, "RCR104", as_of, "solution taken up or up-scaled", "solutions taken up or up-scaled"
        )
        if line:
            st.markdown(line)
            st.caption(
                "Reported in the indicator_values tab, with evidence: "
                + (
                    "; ".join(
                        f"{d:%d %b %Y} {components.escape_md(place(loc))}"
                        for d, loc in zip(counted("RCR104")["date"], counted("RCR104")["location_id"], strict=True)
                    )
                    or "none yet"
                )
                + "."
            )


def timeline_view() -> None:
    """Each pilot's implementation as a bar from start to end, then its wait for validation."""
    st.subheader("Implementation: start to end")
    start = pd.Timestamp(ctx.settings.project.start)
    span = max((cutoff - start).days, 60)
    x_scale = alt.Scale(domain=[start.isoformat(), (cutoff + pd.Timedelta(days=span * 0.45)).isoformat()])
    ticks = [alt.DateTime(year=d.year, month=d.month, date=1) for d in pd.date_range(start, cutoff, freq="QS")]
    x_axis = alt.Axis(values=ticks, format="%b %y", title=None, grid=True)
    gantt = shown.assign(
        bar_start=shown["start"].where(shown["start"] <= cutoff),
        bar_end=shown["end"].where(shown["end"] <= cutoff).fillna(cutoff).where(shown["start"] <= cutoff),
        validated=shown["validated_on"].where(shown["validated_on"] <= cutoff),
        bar_status=shown["status"].where(shown["stage"] == "implementation", PAST),
    )
    gantt["text_at"] = cutoff
    gantt["wait_end"] = gantt["validated"].fillna(cutoff)
    gantt["wait_status"] = gantt["status"].where(gantt["stage"] == "completed", PAST)
    gantt = gantt[
        [
            "label",
            "bar_start",
            "bar_end",
            "validated",
            "wait_end",
            "text_at",
            "status",
            "bar_status",
            "wait_status",
            "status_text",
            "stage",
            "title",
        ]
    ]
    waits = gantt[gantt["stage"].isin(["completed", "validated"])].dropna(subset=["bar_end"])
    y_pilot = alt.Y("label:N", sort=order, scale=alt.Scale(domain=order), title=None, axis=alt.Axis(labelLimit=200))
    colour_scale = alt.Scale(
        domain=[*STATUS_ORDER, PAST], range=[*(STATUS_STYLE[s][0] for s in STATUS_ORDER), "#9AA5B1"]
    )
    legend = alt.Legend(title=None, orient="top", values=[x for x in STATUS_ORDER if x in set(shown["status"])])
    components.altair_chart(
        alt.layer(
            alt.Chart(gantt)
            .mark_bar(height=14, cornerRadius=3)
            .encode(
                x=alt.X("bar_start:T", scale=x_scale, axis=x_axis),
                x2="bar_end:T",
                y=y_pilot,
                color=alt.Color("bar_status:N", scale=colour_scale, legend=legend),
                tooltip=[
                    alt.Tooltip("label:N", title="Pilot"),
                    alt.Tooltip("title:N", title="Title"),
                    alt.Tooltip("stage:N", title="Stage"),
                    alt.Tooltip("bar_start:T", title="Start", format="%d %b %Y"),
                    alt.Tooltip("bar_end:T", title="End (or as-of day)", format="%d %b %Y"),
                ],
            ),
            alt.Chart(waits)
            .mark_rule(strokeWidth=4)
            .encode(
                x=alt.X("bar_end:T", scale=x_scale),
                x2="wait_end:T",
                y=y_pilot,
                color=alt.Color("wait_status:N", scale=colour_scale, legend=None),
            ),
            alt.Chart(gantt)
            .mark_point(shape="diamond", size=140, filled=True, color="#009E73", opacity=1)
            .encode(
                x=alt.X("validated:T", scale=x_scale),
                y=y_pilot,
                tooltip=[alt.Tooltip("validated:T", title="Validated", format="%d %b %Y")],
            ),
            alt.Chart(gantt)
            .mark_text(align="left", dx=8, fontSize=12)
            .encode(
                x=alt.X("text_at:T", scale=x_scale),
                y=y_pilot,
                text="status_text:N",
                color=alt.Color("status:N", scale=colour_scale, legend=None),
            ),
            alt.Chart(pd.DataFrame({"as_of": [cutoff]}))
            .mark_rule(color="#1F2933", strokeDash=[4, 3])
            .encode(x=alt.X("as_of:T", scale=x_scale)),
        ).properties(height=30 * max(len(order), 1) + 90),
        width="stretch",
    )
    st.caption(
        "Bars run from the start of implementation to its end, or to the as-of day (dashed line) while it runs; the "
        "thin line after a bar is the wait for validation, and a diamond marks validation. The colour is the status of "
        "the current stage, also written on the right."
    )


def partnerships_view() -> None:
    """Who develops each pilot, and why it is or is not counted in RCO84."""
    st.subheader("Who develops each pilot: the 'jointly developed' check")
    rco84 = counted("RCO84")
    counted_84 = set(rco84["record"]) if rco84 is not None else set()

    def rco84_reason(r: pd.Series) -> str:
        if r["pilot_id"] in counted_84:
            return "counted"
        if r["stage"] not in ("completed", "validated"):
            return "not completed yet"
        if not r["jointly_developed"]:
            return "not counted: one country only"
        if pd.isna(r["end"]):
            return "not counted: no end date"
        return "not counted by the indicator's filter"

    orgs = shown.assign(
        organisations=[
            ", ".join(f"{org(p)} (lead)" if i == 0 and p == lead else org(p) for i, p in enumerate(members(lead, ids)))
            for lead, ids in zip(shown["lead_partner_id"], shown["partner_ids"], strict=True)
        ],
        country_names=[
            ", ".join(
                sorted(
                    {
                        country_name(partners.at[p, "country"])
                        for p in members(lead, ids)
                        if p in partners.index and isinstance(partners.at[p, "country"], str)
                    }
                )
            )
            for lead, ids in zip(shown["lead_partner_id"], shown["partner_ids"], strict=True)
        ],
        joint=[
            f"{'✔ yes' if j else '✖ no'} · {n} countr{'y' if n == 1 else 'ies'}"
            for j, n in zip(shown["jointly_developed"], shown["countries"], strict=True)
        ],
        rco84=[rco84_reason(r) for _, r in shown.iterrows()],
    )
    st.dataframe(
        orgs[["pilot_id", "place", "cluster", "stage", "joint", "rco84", "country_names", "organisations", "title"]],
        hide_index=True,
        column_config={
            "pilot_id": "Pilot",
            "title": st.column_config.TextColumn("Title", width="medium"),
            "cluster": "Cluster",
            "place": "Location",
            "stage": "Stage",
            "joint": st.column_config.TextColumn("Jointly developed", help="Organisations from two or more countries."),
            "rco84": st.column_config.TextColumn("RCO84", width="medium"),
            "country_names": st.column_config.TextColumn("Countries", width="medium"),
            "organisations": st.column_config.TextColumn("Organisations", width="large"),
        },
    )


def validation_view() -> None:
    """The completed pilots: when completed, how long awaiting validation, the report."""
    st.subheader("Validation")
    finished = shown[shown["stage"].isin(["completed", "validated"])]
    if finished.empty:
        st.caption(f"No pilot was completed by {as_of:%d %b %Y}.")
    else:
        validation = finished.assign(
            completed_on=finished["end"].where(finished["end"] <= cutoff),
            validated=finished["validated_on"].where(finished["validated_on"] <= cutoff),
            waiting=[
                None if s == "validated" else d
                for s, d in zip(finished["stage"], finished["days_in_stage"], strict=True)
            ],
            report=finished["validation_url"].where(finished["validated_on"] <= cutoff),
            lead=finished["lead_partner_id"].map(lambda p: org(p) if isinstance(p, str) else ""),
            team=[
                ", ".join(org(p) for p in members(lead, ids)[1:])
                for lead, ids in zip(finished["lead_partner_id"], finished["partner_ids"], strict=True)
            ],
        )
        validation["waiting"] = pd.array(validation["waiting"].tolist(), dtype="Int64")
        st.dataframe(
            validation[
                ["pilot_id", "place", "stage", "completed_on", "waiting", "validated", "report", "lead", "team"]
            ],
            hide_index=True,
            column_config={
                "pilot_id": "Pilot",
                "place": "Location",
                "stage": "Stage",
                "completed_on": st.column_config.DateColumn("Completed", format="YYYY-MM-DD"),
                "validated": st.column_config.DateColumn("Validated", format="YYYY-MM-DD"),
                "waiting": st.column_config.NumberColumn("Days awaiting validation", format="%d"),
                "report": st.column_config.LinkColumn("Validation report", display_text="open"),
                "lead": "Lead organisation",
                "team": st.column_config.TextColumn("Partner organisations", width="large"),
            },
        )
        st.caption(
            "The scientific partners validate a pilot from its report; the sheet has no 'validated by' column, so the "
            "pilot's lead and partner organisations are shown and the report names the validators."
        )


def replication_view() -> None:
    """Which pilot runs or was replicated in which location."""
    st.subheader("Replication: pilot × location")
    replication = pipelines.replication_matrix(shown)
    if replication.empty:
        st.caption("No pilot to show.")
    else:
        replication["place"] = replication["location_id"].map(place)
        replication["pilot"] = replication["pilot_id"].map(dict(zip(shown["pilot_id"], shown["label"], strict=True)))
        replication["text"] = replication["role"].map({"home": "home", "replicated": "replica"})
        places = [place(loc) for loc in locations.index] + sorted(
            set(replication["place"]) - set(map(place, locations.index))
        )
        x_place = alt.X(
            "place:N",
            sort=places,
            scale=alt.Scale(domain=places),
            title=None,
            axis=alt.Axis(orient="top", labelAngle=-30),
        )
        y_rep = alt.Y("pilot:N", sort=order, scale=alt.Scale(domain=order), title=None, axis=alt.Axis(labelLimit=200))
        role_colour = alt.Color(
            "role:N", scale=alt.Scale(domain=["home", "replicated"], range=["#E4E7EB", "#0072B2"]), legend=None
        )
        components.altair_chart(
            alt.layer(
                alt.Chart(replication)
                .mark_rect(stroke="white", strokeWidth=2)
                .encode(x=x_place, y=y_rep, color=role_colour),
                alt.Chart(replication)
                .mark_text(fontSize=11)
                .encode(
                    x=x_place,
                    y=y_rep,
                    text="text:N",
                    color=alt.condition("datum.role == 'replicated'", alt.value("white"), alt.value("#1F2933")),
                ),
            ).properties(height=30 * max(len(order), 1) + 100),
            width="stretch",
        )
        reps = replication[replication["role"] == "replicated"]
        st.caption(
            f"{len(reps)} replication(s) of {reps['pilot_id'].nunique()} pilot(s). Replications have no date in the "
            "sheet, so they are shown as recorded, whatever the as-of day."
        )


components.lazy_tabs(
    {
        "Portfolio": portfolio_view,
        "Timeline": timeline_view,
        "Partnerships": partnerships_view,
        "Validation": validation_view,
        "Replication": replication_view,
    },
    key="view",
)
