"""Believable Indonesian demo data: customers and a small fashion catalogue."""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Andi", "Ayu", "Dimas", "Nur",
    "Fajar", "Rina", "Hendra", "Lestari", "Yoga", "Indah", "Bayu", "Maya", "Eko", "Wulan",
)
LAST_NAMES = (
    "Santoso", "Wijaya", "Saputra", "Lestari", "Pratama", "Hidayat", "Kusuma", "Nugroho",
    "Rahmawati", "Setiawan", "Hartono", "Permata", "Siregar", "Simanjuntak", "Wibowo",
)
# (product_id, name, price in rupiah)
PRODUCTS: tuple[tuple[int, str, int], ...] = (
    (101, "Kemeja Batik Parang Slim Fit", 289000),
    (102, "Kaos Oversize Zavera Basic", 129000),
    (103, "Celana Chino Stretch", 249000),
    (104, "Jaket Denim Washed", 459000),
    (105, "Dress Midi Linen", 379000),
    (106, "Hoodie Fleece Zavera", 319000),
    (107, "Rok Plisket Premium", 199000),
    (108, "Sneakers Kanvas Putih", 399000),
)
SHIPPING_COSTS = (9000, 11000, 15000, 18000, 22000, 25000)


@dataclass(frozen=True)
class Customer:
    name: str
    email: str
    phone: str


def random_customer(rng: random.Random) -> Customer:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower()
    phone = "08" + "".join(rng.choice("0123456789") for _ in range(10))
    return Customer(f"{first} {last}", email, phone)
