"""A picture with its caption: a photo, a drawing or map (PNG, JPEG, SVG), or a chart drawn from
numbers in the file. Alternative text in every language is required, unless the picture is
decorative."""
from __future__ import annotations

from .. import pictures
from .. import schema as s

EXAMPLE = {
    "title": {"en": "In numbers", "vi": "Qua những con số"},
    "chart": {"type": "bar", "unit": {"en": "people", "vi": "người"},
              "values": [{"label": "2022", "value": 120}, {"label": "2023", "value": 180}]},
    "alt": {"en": "Bar chart: 120 people in 2022, 180 in 2023.",
            "vi": "Biểu đồ cột: 120 người năm 2022, 180 người năm 2023."},
    "caption": {"en": "People helped each year.", "vi": "Số người được hỗ trợ mỗi năm."},
    "size": "full",
    "sources": ["example-source"],
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    return s.section(codes, kinds, **pictures.fields(codes))


def context(data: dict, formats: dict) -> dict:
    own = pictures.fields(list(formats))
    fields = {k: v for k, v in data.items() if k in own}
    return {"picture": pictures.context(fields, formats)}
