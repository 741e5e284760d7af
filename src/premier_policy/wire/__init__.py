"""The wire: cattrs converters between the scenario and outcome JSON and the library's
values. Used by the engine's ``replay`` and by the shell; no wing imports it.
"""

from premier_policy.wire._converter import ScenarioError
from premier_policy.wire._events import event_from_dict, event_to_dict
from premier_policy.wire._policy import policy_from_dict

__all__ = ["ScenarioError", "event_from_dict", "event_to_dict", "policy_from_dict"]
