"""Gin's ``ShouldBindJSON`` for the few request structs the sandbox accepts.

The error *texts* are part of the contract (they come back in ``message``), so this mimics
Go's ``json.Decoder`` and go-playground/validator wording: ``EOF`` for an empty body,
``json: cannot unmarshal …`` for wrong types, ``Key: 'Struct.Field' Error:Field validation
for 'Field' failed on the 'tag' tag`` for failed rules (several joined with a newline).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

# go-playground's email check is a long RFC 5322 regex; this accepts the same everyday addresses.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


class _Num(str):
    """A JSON number kept as its literal so int fields can reject ``1.5`` the way Go does."""


@dataclass(frozen=True)
class Field:
    json_name: str
    go_name: str
    go_type: str  # "string" | "int" | "[]VANumber"
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Struct:
    go_name: str  # as in validator keys, e.g. "LoginRequest"
    go_path: str  # as in unmarshal errors, e.g. "dto.LoginRequest"
    fields: tuple[Field, ...] = field(default_factory=tuple)


class BindError(Exception):
    """The message Gin would put in ``err.Error()``."""


def _kind(value: Any) -> str:
    if isinstance(value, _Num):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _reject_constant(name: str) -> Any:
    # Python would accept NaN/Infinity; Go stops at their first letter.
    raise BindError(f"invalid character {name[0]!r} looking for beginning of value")


def _decode_first(body: bytes) -> Any:
    """``json.NewDecoder(body).Decode``: the first JSON value; whatever follows is ignored."""
    text = body.decode("utf-8", errors="replace")
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        raise BindError("EOF")
    decoder = json.JSONDecoder(parse_float=_Num, parse_int=_Num, parse_constant=_reject_constant)
    try:
        value, _ = decoder.raw_decode(stripped)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(stripped):
            raise BindError("unexpected EOF") from None
        char = stripped[exc.pos]
        where = "beginning of value" if exc.pos == 0 else "value"
        raise BindError(f"invalid character {char!r} looking for {where}") from None
    return value


def _convert(struct: Struct, spec: Field, value: Any) -> Any:
    kind = _kind(value)
    if kind == "null":
        return None
    where = f"Go struct field {struct.go_name}.{spec.json_name}"
    if spec.go_type == "string":
        if kind != "string":
            raise BindError(f"json: cannot unmarshal {kind} into {where} of type string")
        return str(value)
    if spec.go_type == "int":
        if kind != "number":
            raise BindError(f"json: cannot unmarshal {kind} into {where} of type int")
        if not re.fullmatch(r"-?\d+", value):
            raise BindError(f"json: cannot unmarshal number {value} into {where} of type int")
        number = int(value)
        if not -(2**63) <= number < 2**63:
            raise BindError(f"json: cannot unmarshal number {value} into {where} of type int")
        return number
    if spec.go_type == "[]VANumber":
        if kind != "array":
            raise BindError(f"json: cannot unmarshal {kind} into {where} of type []service.VANumber")
        items = []
        for item in value:
            if _kind(item) == "null":
                items.append({"bank": "", "va_number": ""})
                continue
            if not isinstance(item, dict):
                raise BindError(f"json: cannot unmarshal {_kind(item)} into {where} of type service.VANumber")
            entry = {"bank": "", "va_number": ""}
            for key, sub in item.items():
                name = key.lower()
                if name in entry and _kind(sub) != "null":
                    if _kind(sub) != "string":
                        raise BindError(
                            f"json: cannot unmarshal {_kind(sub)} into {where}.{name} of type string"
                        )
                    entry[name] = str(sub)
            items.append(entry)
        return items
    raise AssertionError(spec.go_type)


def _zero(spec: Field) -> Any:
    return {"string": "", "int": 0, "[]VANumber": None}[spec.go_type]


def bind_json(body: bytes, struct: Struct) -> dict[str, Any]:
    """Decode and validate ``body`` into a dict keyed by json names; raise :class:`BindError`."""
    value = _decode_first(body)
    result = {spec.json_name: _zero(spec) for spec in struct.fields}
    kind = _kind(value)
    if kind not in ("object", "null"):
        raise BindError(f"json: cannot unmarshal {kind} into Go value of type {struct.go_path}")
    if kind == "object":
        by_name = {spec.json_name: spec for spec in struct.fields}
        by_fold = {spec.json_name.lower(): spec for spec in struct.fields}
        for key, item in value.items():
            # encoding/json prefers an exact key match and falls back to a case-insensitive one.
            spec = by_name.get(key) or by_fold.get(key.lower())
            if spec is None:
                continue
            converted = _convert(struct, spec, item)
            if converted is not None:
                result[spec.json_name] = converted
    failures = []
    for spec in struct.fields:
        current = result[spec.json_name]
        for rule in spec.rules:
            tag, _, parameter = rule.partition("=")
            failed = (
                (tag == "required" and current in ("", 0, None))
                or (tag == "email" and not _EMAIL.match(str(current)))
                or (tag == "oneof" and str(current) not in parameter.split())
            )
            if failed:
                failures.append(
                    f"Key: '{struct.go_name}.{spec.go_name}' Error:Field validation for "
                    f"'{spec.go_name}' failed on the '{tag}' tag"
                )
                break
    if failures:
        raise BindError("\n".join(failures))
    return result


LOGIN_REQUEST = Struct(
    "LoginRequest",
    "dto.LoginRequest",
    (
        Field("email", "Email", "string", ("required", "email")),
        Field("password", "Password", "string", ("required",)),
    ),
)

CHECK_PAYMENT_REQUEST = Struct(
    "CheckPaymentStatusRequest",
    "handler.CheckPaymentStatusRequest",
    (Field("payment_id", "PaymentID", "int", ("required",)),),
)

UPDATE_ORDER_STATUS_REQUEST = Struct(
    "UpdateOrderStatusRequest",
    "dto.UpdateOrderStatusRequest",
    (
        Field("status", "Status", "string", ("required",)),
        Field("reason", "Reason", "string"),
    ),
)

RECONCILE_PAYMENT_REQUEST = Struct(
    "ReconcilePaymentRequest",
    "dto.ReconcilePaymentRequest",
    (
        Field("action", "Action", "string", ("required", "oneof=MARK_PAID MARK_FAILED MARK_EXPIRED SYNC_GATEWAY")),
        Field("reason", "Reason", "string", ("required",)),
        Field("transaction_id", "TransactionID", "string"),
        Field("idempotency_key", "IdempotencyKey", "string"),
    ),
)


def go_atoi(text: str) -> int | None:
    """``strconv.Atoi``: optional sign and decimal digits within int64, else None (the error)."""
    if not re.fullmatch(r"[+-]?\d+", text):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


_NOTIFICATION_FIELDS = (
    "transaction_time",
    "transaction_status",
    "transaction_id",
    "status_message",
    "status_code",
    "signature_key",
    "payment_type",
    "order_id",
    "merchant_id",
    "gross_amount",
    "fraud_status",
    "currency",
)


def _go_name(json_name: str) -> str:
    return "".join(part.capitalize() for part in json_name.split("_")).replace("Id", "ID")


CORE_NOTIFICATION = Struct(
    "CoreWebhookNotification",
    "service.CoreWebhookNotification",
    (
        *(Field(name, _go_name(name), "string") for name in _NOTIFICATION_FIELDS),
        Field("va_numbers", "VANumbers", "[]VANumber"),
        Field("permata_va_number", "PermataVANumber", "string"),
    ),
)

SNAP_NOTIFICATION = Struct(
    "MidtransNotification",
    "dto.MidtransNotification",
    tuple(Field(name, _go_name(name), "string") for name in _NOTIFICATION_FIELDS),
)
