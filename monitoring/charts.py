"""Chart specs shared by the pages and the exports (plain Vega-Lite dicts: no Streamlit, no Altair)."""

from __future__ import annotations

from typing import Any

from monitoring.progress import STATUS_COLOURS, IndicatorProgress

# Neutral colours for marks that must read on the background: ink (expected tick), band, rule (target).
LIGHT_INK = {"ink": "#1F2933", "band": "#E4E7EB", "rule": "#52606D"}
DARK_INK = {"ink": "#F5F7FA", "band": "#3E4C59", "rule": "#CBD2D9"}


def bullet_spec(
    p: IndicatorProgress,
    *,
    ink: dict[str, str] = LIGHT_INK,
    height: int = 56,
    width: int | None = None,
    label_size: int = 11,
) -> dict[str, Any]:
    """A bullet chart: achieved as a bar in the status colour, the target as the band's end and a dashed
    rule, expected by the date as a tick. `width` None lets the container decide."""
    top = max(p.target, p.achieved, p.expected) * 1.05
    row = {"indicator": p.code, "achieved": p.achieved, "target": p.target, "expected": p.expected, "status": p.status}
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "height": height,
        "data": {"values": [row]},
        "config": {
            "view": {"stroke": None},
            "axis": {
                "labelFontSize": label_size,
                "labelColor": ink["ink"],
                "domainColor": ink["rule"],
                "tickColor": ink["rule"],
            },
        },
        "layer": [
            {
                "mark": {"type": "bar", "color": ink["band"], "size": 26},
                "encoding": {
                    "x": {
                        "field": "target",
                        "type": "quantitative",
                        "title": None,
                        "scale": {"domain": [0, top], "nice": False},
                        "axis": {"grid": False, "tickCount": 4},
                    }
                },
            },
            {
                "mark": {"type": "bar", "color": STATUS_COLOURS[p.status], "size": 14},
                "encoding": {
                    "x": {"field": "achieved", "type": "quantitative"},
                    "tooltip": [{"field": "achieved", "type": "quantitative", "title": "Achieved"}],
                },
            },
            {
                "mark": {"type": "tick", "color": ink["ink"], "thickness": 3, "size": 30},
                "encoding": {
                    "x": {"field": "expected", "type": "quantitative"},
                    "tooltip": [{"field": "expected", "type": "quantitative", "title": "Expected by now"}],
                },
            },
            {
                "mark": {"type": "rule", "color": ink["rule"], "strokeDash": [4, 2], "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "target", "type": "quantitative"},
                    "tooltip": [{"field": "target", "type": "quantitative", "title": "Target"}],
                },
            },
        ],
    }
    if width is not None:
        spec["width"] = width
    return spec
