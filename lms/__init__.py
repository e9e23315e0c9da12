"""LMS delivery: SCORM 1.2 and SCORM 2004 packages and a plain website zip of the built book.

- ``crawler``: which files of the built site the pages really use;
- ``manifest``: ``imsmanifest.xml``, written from one table of SCORM versions;
- ``package``: the packager (``python -m lms``, ``make scorm``);
- ``static/``: the launch page and its runtime (``launch/*.js`` joined at build time).

It reads only the built site and the ``course:`` settings; nothing in the book imports it.
"""
