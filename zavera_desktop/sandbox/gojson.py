"""JSON bytes exactly as Go's ``encoding/json`` and Gin write them.

Why not ``json.dumps``: Go writes floats without a trailing ``.0`` (``150000`` not ``150000.0``),
escapes ``<``, ``>``, ``&``, U+2028 and U+2029, keeps other non-ASCII (emoji) raw, and uses no
spaces. Key order is the caller's: build ``gin.H`` maps with :func:`gin_h` (sorted keys, as Go
marshals maps) and DTO structs as dicts in declaration order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from starlette.responses import Response

JSON_CONTENT_TYPE = "application/json; charset=utf-8"

_HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def go_float(value: float) -> str:
    """Go's shortest float64 text (``strconv.FormatFloat(f, 'f' or 'e', -1, 64)`` as json does)."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError("Go's json refuses NaN and Inf")
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-6 <= magnitude < 1e21:
        if value == int(value):
            return str(int(value))
        text = repr(value)
        if "e" not in text:
            return text
        # repr switched to exponent form (>= 1e16); Go keeps plain digits below 1e21.
        return format(Decimal(text), "f")
    text = repr(value)  # "1e-07" / "1e+21"; Go's encoder turns "e-07" into "e-7" and keeps "e+21"
    mantissa, _, exponent = text.partition("e")
    if exponent.startswith("-"):
        exponent = "-" + (exponent[1:].lstrip("0") or "0")
    return f"{mantissa}e{exponent}"


def _string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    for raw, escaped in _HTML_ESCAPES.items():
        if raw in encoded:
            encoded = encoded.replace(raw, escaped)
    return encoded


def _encode(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, Decimal):
        # lib/pq hands DECIMAL columns to Go as float64.
        out.append(go_float(float(value)))
    elif isinstance(value, float):
        out.append(go_float(value))
    elif isinstance(value, Mapping):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_string(str(key)))
            out.append(":")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def dumps(value: Any) -> str:
    out: list[str] = []
    _encode(value, out)
    return "".join(out)


def dumpb(value: Any) -> bytes:
    return dumps(value).encode("utf-8")


def gin_h(**items: Any) -> dict[str, Any]:
    """A ``gin.H`` map: Go marshals map keys sorted."""
    return {key: items[key] for key in sorted(items)}


def sorted_map(items: Mapping[str, Any]) -> dict[str, Any]:
    return {key: items[key] for key in sorted(items)}


class GoJSONResponse(Response):
    """What Gin's ``c.JSON`` sends: compact Go JSON, ``application/json; charset=utf-8``."""

    media_type = JSON_CONTENT_TYPE

    def render(self, content: Any) -> bytes:
        return dumpb(content)


def error_response(status: int, error: str, message: str = "") -> GoJSONResponse:
    """``dto.ErrorResponse``: struct order ``error`` then ``message`` (omitempty)."""
    body: dict[str, Any] = {"error": error}
    if message:
        body["message"] = message
    return GoJSONResponse(body, status_code=status)


def go_amount(value: Decimal | None) -> Decimal:
    """A DECIMAL(12,2) column value as the API renders it (NULL reads as 0 through COALESCE)."""
    return value if value is not None else Decimal(0)
