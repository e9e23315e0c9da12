"""Helpers shared by the tests: paths and tools (``paths``), the site driver that answers
exercises in Chromium (``site_driver``), the book-quality measures (``book_quality``), the SCORM
harness (``scorm_harness``), sample exercise data (``samples``), the simulated nbgrader class
(``nbgrader_class``) and a throw-away PostgreSQL server (``postgres``)."""
