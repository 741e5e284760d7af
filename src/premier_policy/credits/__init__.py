"""Credits (``credits.*``): lots with their validity and expiry notices, and a customer's
account that buys, consumes and restores them.
"""

from premier_policy.credits._account import Account, Consumed, Purchased
from premier_policy.credits._lots import ExpiryNotice, Lot

__all__ = ["Account", "Consumed", "ExpiryNotice", "Lot", "Purchased"]
