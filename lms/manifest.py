"""``imsmanifest.xml`` for each SCORM version, from one table of what the versions differ in.

The launch runtime has its own dialect table for the run-time API (``static/launch.js``); this
table is the package side: file suffix, schema files, namespaces and names.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

from coursebook.settings import CourseConfig

LAUNCH_PAGE = "index.html"

SCORM_VERSIONS: dict[str, dict[str, Any]] = {
    "1.2": {
        "suffix": "scorm12",
        "schemas": ["imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"],
        "schema_dir": "scorm12",
        "cp": ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
        "adlcp": ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
        "schemaversion": "1.2",
        "scormtype": "adlcp:scormtype",
        # SCORM 1.2 carries the mastery score in the manifest, as a percentage; the LMS hands it
        # to the SCO as cmi.student_data.mastery_score. SCORM 2004 has no such field outside
        # sequencing objectives, so there the launch page applies the mastery score itself.
        "mastery_in_manifest": True,
    },
    "2004": {
        "suffix": "scorm2004",
        "schemas": [
            "imscp_v1p1.xsd",
            "adlcp_v1p3.xsd",
            "xml.xsd",
            "XMLSchema.dtd",
            "datatypes.dtd",
        ],
        "schema_dir": "scorm2004",
        "cp": ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
        "adlcp": ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        "schemaversion": "2004 4th Edition",
        "scormtype": "adlcp:scormType",
        "mastery_in_manifest": False,
    },
}


def xml_id(text: str) -> str:
    """An XML ID (NCName) made from ``text``: it may not start with a digit or hyphen."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "-", text)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"course-{cleaned}"


def imsmanifest(config: CourseConfig, version: str, files: list[str]) -> str:
    """The package's manifest: one organisation, one item, one SCO resource listing ``files``."""
    esc = html.escape
    spec = SCORM_VERSIONS[version]
    ident = xml_id(config.id)
    title = esc(config.title, quote=False)
    locations = " ".join(f"{ns} {xsd}" for ns, xsd in (spec["cp"], spec["adlcp"]))
    mastery = (
        f"\n        <adlcp:masteryscore>{round(config.mastery_score * 100)}</adlcp:masteryscore>"
        if spec["mastery_in_manifest"]
        else ""
    )
    file_lines = "\n".join(f'      <file href="{esc(quote(f))}"/>' for f in files)
    scormtype = spec["scormtype"]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{ident}" version="1.0"
  xmlns="{spec["cp"][0]}"
  xmlns:adlcp="{spec["adlcp"][0]}"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="{locations}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>{spec["schemaversion"]}</schemaversion>
  </metadata>
  <organizations default="{ident}-org">
    <organization identifier="{ident}-org">
      <title>{title}</title>
      <item identifier="{ident}-item" identifierref="{ident}-sco" isvisible="true">
        <title>{title}</title>{mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="{ident}-sco" type="webcontent" {scormtype}="sco" href="{LAUNCH_PAGE}">
{file_lines}
    </resource>
  </resources>
</manifest>
"""
