"""What the payments table shows: ``PaymentFilter`` and ``SortKey`` (plain Python, no Qt).

They live in ``zavera_desktop/store/queries.py`` because the store's reads are built from them and
the store must never import from ``ui/``; the window imports them from here.
"""

from zavera_desktop.store.queries import (
    MIN_INDEXED_SEARCH,
    SHORT_SEARCH_WINDOW,
    PaymentFilter,
    SortKey,
)

__all__ = ["MIN_INDEXED_SEARCH", "SHORT_SEARCH_WINDOW", "PaymentFilter", "SortKey"]
