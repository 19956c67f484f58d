"""Presentation: what people and programs read. Text for a terminal (:mod:`.text`), the JSON
contract and its CSV table (:mod:`.report_json`). Units and their notation live in
:mod:`hardkick_analyze.units`; charts in :mod:`hardkick_analyze.plots`."""
