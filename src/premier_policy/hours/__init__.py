"""Business hours (``hours.*``): weekly schedules, closures and extra openings, and the
arithmetic of business time over a calendar.
"""

from premier_policy.hours._calendar import Calendar
from premier_policy.hours._explain import ClosedWhy, CountedSpan, Deadline, SkippedStretch
from premier_policy.hours._holidays import PublicHolidays
from premier_policy.hours._openings import Opening
from premier_policy.hours._span import Span
from premier_policy.hours._weekly import Weekday, WeeklySchedule

__all__ = [
    "Calendar",
    "ClosedWhy",
    "CountedSpan",
    "Deadline",
    "Opening",
    "PublicHolidays",
    "SkippedStretch",
    "Span",
    "Weekday",
    "WeeklySchedule",
]
