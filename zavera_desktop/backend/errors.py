"""The one exception tree of everything that talks to the backend.

Callers branch on the class, never on message strings (the model is httpx's own tree)::

    ZaveraError
    ├── NetworkError            cannot reach the backend / connection dropped / timed out
    ├── BadResponseError        the backend answered something we cannot understand
    └── HTTPStatusError         the backend answered with an error status
        ├── AuthError           401: not logged in, token expired, wrong password
        ├── ForbiddenError      403: logged in, but not the shop admin (or e-mail not verified)
        ├── NotFoundError       404
        ├── RateLimitedError    429, with ``retry_after`` seconds
        ├── ServerError         5xx
        └── RequestRejectedError other 4xx
    MidtransError               talking to Midtrans itself (status look-up for verify and replay)
    ├── MidtransAuthError       Midtrans refused the server key (401)
    ├── MidtransNotFoundError   Midtrans does not know this order or transaction id (404)
    └── MidtransUnavailableError cannot reach Midtrans, it failed (5xx) or asks to slow down (429)

Midtrans errors are deliberately not ``HTTPStatusError``s: a wrong Midtrans key must never look
like the admin's own login failing.

Every message is written for a shop admin, and never contains a token, password or key.
"""

from __future__ import annotations


class ZaveraError(Exception):
    """Base of every error raised by ``zavera_desktop.backend``."""


class NetworkError(ZaveraError):
    """The backend could not be reached, or the connection broke."""


class BadResponseError(ZaveraError):
    """The backend answered, but not with what the contract promises."""


class HTTPStatusError(ZaveraError):
    """The backend answered with an error status; ``code`` is its ``error`` field."""

    def __init__(self, message: str, *, status: int, code: str = "", server_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.server_message = server_message


class AuthError(HTTPStatusError):
    """401 — log in again (or the credentials are wrong)."""


class ForbiddenError(HTTPStatusError):
    """403 — this account may not use the admin API."""


class NotFoundError(HTTPStatusError):
    """404."""


class RateLimitedError(HTTPStatusError):
    """429 — wait ``retry_after`` seconds before trying again."""

    def __init__(self, message: str, *, status: int = 429, code: str = "", server_message: str = "",
                 retry_after: float = 5.0) -> None:
        super().__init__(message, status=status, code=code, server_message=server_message)
        self.retry_after = retry_after


class ServerError(HTTPStatusError):
    """5xx — the backend (or a proxy in front of it) failed; try again later."""

    def __init__(self, message: str, *, status: int, code: str = "", server_message: str = "",
                 retry_after: float | None = None) -> None:
        super().__init__(message, status=status, code=code, server_message=server_message)
        self.retry_after = retry_after


class RequestRejectedError(HTTPStatusError):
    """Any other 4xx: the request itself was refused."""


class MidtransError(ZaveraError):
    """Talking to Midtrans' API directly failed."""


class MidtransAuthError(MidtransError):
    """Midtrans refused the server key: it is wrong, or for the other environment."""


class MidtransNotFoundError(MidtransError):
    """Midtrans knows no transaction under this id (or it lives in the other environment)."""


class MidtransUnavailableError(MidtransError):
    """Midtrans could not be reached, failed, or asked us to slow down (``retry_after`` seconds)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
