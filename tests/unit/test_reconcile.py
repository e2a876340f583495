"""Reconcile: reading the whole window while pages shift, and the diff rules (contract §3.1, §10.3)."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from zavera_desktop.backend.client import ZaveraClient
from zavera_desktop.backend.reconcile import diff, read_window
from zavera_desktop.domain import DetectedBy, PaymentCandidate
from zavera_desktop.store import SeenUpdate, Store

START = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


class FakeOrders:
    """A backend orders list: newest created first, offset pagination, mutable between pages."""

    def __init__(self, n):
        self.orders = [self._order(i) for i in range(n)]  # index 0 = oldest
        self.next = n
        self.requests = 0
        self.on_request = None

    @staticmethod
    def _order(i, status="PENDING", minutes=0):
        return {"id": i, "order_code": f"ZVR-20261127-{i:08X}", "customer_name": f"C{i}", "customer_email": "",
                "total_amount": 1000 + i, "status": status,
                "created_at": (datetime(2026, 11, 27, 8, 0) + timedelta(minutes=i + minutes)).strftime(
                    "%Y-%m-%d %H:%M:%S"),
                "updated_at": "2026-11-27 08:00:00", "paid_at": "0001-01-01 00:00:00"}

    def add(self, k):
        for _ in range(k):
            self.orders.append(self._order(self.next))
            self.next += 1

    def handler(self, request):
        self.requests += 1
        if self.on_request:
            self.on_request(self.requests)
        page = int(request.url.params["page"])
        size = int(request.url.params["page_size"])
        newest = list(reversed(self.orders))
        rows = newest[(page - 1) * size: page * size]
        return httpx.Response(200, json={"orders": rows or None, "page": page, "page_size": size,
                                         "total_count": len(self.orders)})


def read(fake, page_size=10):
    async def go():
        async with ZaveraClient("http://b.test", token="T", transport=httpx.MockTransport(fake.handler)) as c:
            return await read_window(c, "2026-11-24", page_size=page_size)

    return asyncio.run(go())


def test_reads_every_page():
    fake = FakeOrders(35)
    orders, pages = read(fake)
    assert len(orders) == 35 and pages == 4


def test_empty_window():
    fake = FakeOrders(0)
    orders, pages = read(fake)
    assert orders == {} and pages == 1


@pytest.mark.parametrize("arrivals", [1, 3, 10, 25])
def test_survives_pages_shifting_while_orders_arrive(arrivals):
    fake = FakeOrders(35)
    fake.on_request = lambda n: fake.add(arrivals) if n in (2, 3) else None  # orders arrive mid-read
    orders, _ = read(fake)
    assert set(orders) == {o["order_code"] for o in fake.orders}  # nothing skipped, old or new


def test_exact_page_multiple():
    fake = FakeOrders(30)
    orders, pages = read(fake)
    assert len(orders) == 30 and pages == 4  # the empty 4th page proves the end


# --- diff -----------------------------------------------------------------------------------------

def summary(code, status, created=START):
    from zavera_desktop.backend.client import OrderSummary

    return OrderSummary(order_id=1, order_code=code, customer_name="Budi", customer_email="", total_amount=5000,
                        status=status, created_at=created, updated_at=None, paid_at=None)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "z.db")
    yield s
    s.close()


def codes(result):
    return sorted(c.order_code for c in result.candidates)


def test_baseline_does_not_announce_history_but_does_announce_new_paid_orders(store):
    orders = {"OLD": summary("OLD", "PAID", START - timedelta(hours=5)),
              "NEW": summary("NEW", "PAID", START + timedelta(minutes=1)),
              "PEND": summary("PEND", "PENDING")}
    r = diff(orders, store, now=START, first_started_at=START, baseline_done=False)
    assert codes(r) == ["NEW"] and r.baseline


def test_unpaid_to_paid_is_a_payment(store):
    store.update_seen([SeenUpdate("A", "PENDING"), SeenUpdate("B", "EXPIRED"), SeenUpdate("C", "CANCELLED"),
                       SeenUpdate("D", "PAID")])
    orders = {k: summary(k, s) for k, s in [("A", "PAID"), ("B", "PAID"), ("C", "PACKING"), ("D", "SHIPPED")]}
    r = diff(orders, store, now=START, first_started_at=START - timedelta(days=9), baseline_done=True)
    assert codes(r) == ["A", "B", "C"]  # D was already paid when first seen: history
    assert all(c.detected_by is DetectedBy.RECONCILE for c in r.candidates)


def test_first_seen_paid_after_baseline_is_a_payment(store):
    orders = {"X": summary("X", "PAID", START - timedelta(days=2))}
    r = diff(orders, store, now=START, first_started_at=START - timedelta(days=9), baseline_done=True)
    assert codes(r) == ["X"]


def test_known_payments_are_only_enriched(store):
    store.record_payments([PaymentCandidate("A", None, DetectedBy.STREAM, START)])
    store.update_seen([SeenUpdate("A", "PENDING")])  # a stale baseline must not re-announce
    r = diff({"A": summary("A", "PACKING")}, store, now=START, first_started_at=START, baseline_done=True)
    assert r.candidates == [] and [c.order_code for c in r.enrich] == ["A"]


def test_every_order_updates_the_baseline(store):
    orders = {"A": summary("A", "PENDING"), "B": summary("B", "PAID")}
    r = diff(orders, store, now=START, first_started_at=START, baseline_done=True)
    assert sorted(u.order_code for u in r.seen_updates) == ["A", "B"]
