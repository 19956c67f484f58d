"""The structure written from efforts found with no plan: one size and one recovery per group."""

from __future__ import annotations

import pytest

from hardkick_analyze.models import PlannedRep, Recovery
from hardkick_analyze.segment.efforts import Candidate
from hardkick_analyze.segment.structure import _as_one_group


def _group(activities: list[str]) -> list[PlannedRep]:
    planned = [
        PlannedRep(distance_m=400.0, recovery=Recovery(duration_s=90.0, activity=activity)) for activity in activities
    ]
    members = [
        Candidate(
            start_s=200.0 * k,
            end_s=200.0 * k + 80.0,
            distance_m=400.0,
            mean_speed_mps=5.0,
            kick_ratio=1.0,
            contrast=1.5,
        )
        for k in range(len(activities))
    ]
    return _as_one_group(planned, members, timed=False)


@pytest.mark.parametrize(
    ("activities", "expected"),
    [
        (["walk", "jog", "jog"], "jog"),
        (["walk", "jog", "walk", "jog"], "walk"),  # a tie: the first seen, whatever the hash seed
        (["jog", "walk", "jog", "walk"], "jog"),
    ],
)
def test_a_groups_recovery_is_its_commonest_and_a_tie_goes_to_the_first(activities, expected):
    reps = _group(activities)
    assert {rep.recovery for rep in reps} == {Recovery(duration_s=90.0, activity=expected)}
