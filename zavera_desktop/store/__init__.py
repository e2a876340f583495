"""Local persistence (SQLAlchemy): payments, the reconcile baseline, activity and audit logs."""

from zavera_desktop.store.repository import SeenOrder, SeenUpdate, Store, StoreError, database_url

__all__ = ["SeenOrder", "SeenUpdate", "Store", "StoreError", "database_url"]
