"""Sandbox configuration: one dataclass, every knob with a sensible default."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SandboxConfig:
    """Settings of one sandbox instance.

    Secrets left as ``None`` are generated at start. With a file database they are
    remembered in it, so a restart on the same file keeps working credentials even
    when the caller did not pass them again.
    """

    host: str = "127.0.0.1"
    port: int = 8080
    db: str = ":memory:"  # ":memory:" or a file path
    keepalive: float = 30.0  # seconds between ": keepalive <unix>" comments
    jwt_expiry: float = 86400.0  # seconds (the backend's JWT_EXPIRY_HOURS default is 24 h)
    traffic: float = 0.0  # traffic generator rate, orders per minute (0 = off)
    drop_webhooks: float = 0.3  # fraction of paid traffic orders whose webhook is lost
    seed: int | None = None
    timezone: str = "Asia/Jakarta"  # shop-local zone for all zone-less timestamps
    admin_email: str = "admin@zavera.test"
    admin_password: str | None = None
    user_email: str = "customer@zavera.test"
    user_password: str | None = None
    server_key: str | None = None  # Midtrans server key, "SB-Mid-server-..." when generated
    jwt_secret: str | None = None
    # Where the backend asks Midtrans and where the simulator posts notifications.
    # None means this same server (…/midtrans, …/api/webhook/midtrans/core, …/api/payments/webhook).
    midtrans_url: str | None = None
    core_webhook_url: str | None = None
    snap_webhook_url: str | None = None
    check_interval: float = 5.0  # /api/payments/core/check rate limit per (user, payment)
    sync_all_pause: float = 0.5  # POST /api/admin/payments/sync-all sleeps this long between payments
    startup_broadcast: bool = True  # the backend's "🧪 System Test" notification 3 s after start
    order_expiry_job: bool = True  # the backend's job: PENDING orders older than 24 h become EXPIRED
    merchant_id: str = "G141532850"
    access_log: bool = False
