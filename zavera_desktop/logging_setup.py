"""Logging to stderr and to a rotating file in the user log dir — with secrets scrubbed.

Secrets should never reach a log call in the first place; the filter is the second line of
defence: it masks every secret registered at run time (password, token, server key) and
anything shaped like a bearer token or a JWT.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

from zavera_desktop.config import log_dir

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}")
_BEARER = re.compile(r"(Bearer\s+)[^\s\"',]+", re.IGNORECASE)
_PASSWORD_FIELD = re.compile(r"(\"?password\"?\s*[:=]\s*\"?)[^\s\"',}]+", re.IGNORECASE)
_MASK = "***"

_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Mask this exact value in every log record from now on."""
    if value and len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def scrub(text: str) -> str:
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, _MASK)
    text = _JWT.sub(_MASK, text)
    text = _BEARER.sub(r"\1" + _MASK, text)
    return _PASSWORD_FIELD.sub(r"\1" + _MASK, text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if record.exc_info and record.exc_info[1] is not None:
            # formatted tracebacks carry exception messages too; render and scrub them now
            formatter = logging.Formatter()
            record.exc_text = scrub(formatter.formatException(record.exc_info))
            record.exc_info = None
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def configure(level: str = "INFO", *, log_file: str | None = "default") -> Path | None:
    """Set up the root logger once; returns the log file path (None when file logging is off)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_zavera", False):
            root.removeHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    fmt = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    redact = RedactingFilter()

    stderr = logging.StreamHandler()
    stderr.setFormatter(fmt)
    stderr.addFilter(redact)
    stderr._zavera = True  # type: ignore[attr-defined]
    root.addHandler(stderr)

    path: Path | None = None
    if log_file and log_file != "none":
        path = log_dir() / "zavera-desktop.log" if log_file == "default" else Path(log_file)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5,
                                                           encoding="utf-8")
        except OSError as exc:
            logging.getLogger(__name__).warning("Cannot write the log file %s (%s); logging to stderr only",
                                                path, exc.strerror)
            path = None
        else:
            handler.setFormatter(fmt)
            handler.addFilter(redact)
            handler._zavera = True  # type: ignore[attr-defined]
            root.addHandler(handler)
    # httpx logs every request at INFO; that is noise for an always-on monitor
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return path
