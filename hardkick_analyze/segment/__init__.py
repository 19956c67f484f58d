"""The segmenter: where each planned rep and kick was run.

Two paths, reported in :attr:`Segmentation.method`:

``laps``
    The watch's laps really are the reps (a manual lap per rep, or a structured workout's
    steps): they decide which efforts are which reps. Lap presses are a second or two late, so
    the boundary times are still measured on the speed, within a few seconds of each press.
``detected``
    Otherwise efforts are detected on the speed and matched to the plan in order: the detection
    threshold is swept and the one whose efforts fit the plan best is kept.

Either way, each boundary is placed where the speed ramp leaves its level (see
:mod:`.boundaries`), on the speed shifted back by the watch's measured lag.
"""

from __future__ import annotations

from .segmenter import kicks_possible, segment_session

__all__ = ["kicks_possible", "segment_session"]
