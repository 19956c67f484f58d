"""Presentation: what people and programs read. Text for a terminal (:mod:`.text`), the JSON
contract and its CSV table (:mod:`.report_json`), the same contract as typed values
(:mod:`.summary`), and the season's words, tables, JSON and HTML (:mod:`.season`, a floor above
the season package it renders). Units and their notation live in :mod:`hardkick_analyze.units`;
charts in :mod:`hardkick_analyze.plots`."""
