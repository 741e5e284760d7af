"""What-if replays of a whole event history, split by customer: the pure part.

A vendor's history is a log of events, customers interleaved. :func:`what_if` replays it
under one or more :class:`Variant` policies and returns a :class:`Report`: refusals by
rule, incidents, response targets and breach rates, first-response times, credits and
revenue, week by week. The log is split by customer (:class:`Router`,
:func:`partition_of`), each group of partitions is read and sorted
(:class:`Partition`), replayed and summarised (:func:`summarize`), and the summaries
merged (:func:`merge`): the same figures as one replay of the whole log sorted by
instant, whatever the split. ``premier-policy batch`` runs those steps on Dask.

No I/O, no Dask here: the batch runner in ``premier_policy.shell`` does both.
"""

from premier_policy.whatif._partition import Partition, Unreadable, read_line
from premier_policy.whatif._report import Report, check_variants, report_as_of, what_if
from premier_policy.whatif._route import Router, partition_of
from premier_policy.whatif._summary import (
    BAD_LINES_KEPT,
    BadLine,
    Quantile,
    Summary,
    Week,
    merge,
    summarize,
)
from premier_policy.whatif._variant import Variant

__all__ = [
    "BAD_LINES_KEPT",
    "BadLine",
    "Partition",
    "Quantile",
    "Report",
    "Router",
    "Summary",
    "Unreadable",
    "Variant",
    "Week",
    "check_variants",
    "merge",
    "partition_of",
    "read_line",
    "report_as_of",
    "summarize",
    "what_if",
]
