"""The store's exceptions: each carries a message for the user (already translated)."""


class StoreError(Exception):
    """A message for the user (already translated); the store is unchanged."""


class StoreConflict(StoreError):
    """Somebody else saved the same row since it was read."""


class StorePermission(StoreError):
    """The account may not change this row (another town's parcel, a read-only account)."""
