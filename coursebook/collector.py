"""Per-document state of the course extension, kept the way Sphinx expects.

The content version of each chapter (see ``execution_cache``) is set while a document is read.
With ``-j N`` documents are read in worker processes: ``merge_other`` brings their entries back,
and ``clear_doc`` drops a document's entry when it is read again or removed.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment.collectors import EnvironmentCollector

ATTRIBUTE = "smx_versions"


class CourseCollector(EnvironmentCollector):
    @staticmethod
    def versions(env: Any) -> dict[str, str]:
        if not hasattr(env, ATTRIBUTE):
            setattr(env, ATTRIBUTE, {})
        return getattr(env, ATTRIBUTE)

    @classmethod
    def set_version(cls, env: Any, docname: str, version: str) -> None:
        cls.versions(env)[docname] = version

    def clear_doc(self, app: Sphinx, env: Any, docname: str) -> None:
        self.versions(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
        theirs = self.versions(other)
        for docname in docnames:
            if docname in theirs:
                self.versions(env)[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Nothing to collect from the doctree: the version is set when the source is read."""
