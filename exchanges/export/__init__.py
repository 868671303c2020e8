"""Exports: the charts as slide images, a tour as a deck or a worksheet, the events as data.

One job per module:

* :mod:`~exchanges.export.options` — what to export (formats, sizes, charts);
* :mod:`~exchanges.export.engine` — Chromium found, and Kaleido's persistent server
  kept running to render (with the error that says what to install);
* :mod:`~exchanges.export.view` — what is on screen (:class:`ExportView`);
* :mod:`~exchanges.export.layout` — a chart laid out as a slide (title, notes, source line);
* :mod:`~exchanges.export.slides` — a view's charts built, laid out and rendered;
* :mod:`~exchanges.export.slide_text` — fitting text into a slide's cards;
* :mod:`~exchanges.export.deck`, :mod:`~exchanges.export.worksheet` — a tour as a PDF or
  PowerPoint deck, as a printable worksheet (with :mod:`~exchanges.export.print_fonts`);
* :mod:`~exchanges.export.data` — the events as CSV and JSON.
"""
