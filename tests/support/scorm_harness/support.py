"""Helpers for the SCORM tests: the npm test tools, unzipped packages, and the stand-in LMS page.

The test tools come from the npm registry, pinned in ``package.json`` and ``package-lock.json`` at
the repository root: scorm-again (a maintained SCORM 1.2 / 2004 run-time, the kind an LMS embeds)
and xmllint-wasm (libxml2, to validate manifests against the SCORM schemas). ``node_tools()`` runs
``npm ci`` when ``node_modules`` is missing or does not match the lock file, so ``make test`` on a
fresh clone needs nothing else than Node.js and npm.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[3]
HARNESS = Path(__file__).resolve().parent
CONTROL_FILES = re.compile(r"^(imsmanifest\.xml|[^/]+\.xsd|[^/]+\.dtd)$")


def _installed_matches_lock() -> bool:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for path, entry in lock.get("packages", {}).items():
        if not path or (entry.get("peer") and entry.get("optional")):
            continue
        if not path.startswith("node_modules/") or path.count("node_modules/") > 1:
            continue
        installed = ROOT / path / "package.json"
        if not installed.is_file():
            return False
        version = json.loads(installed.read_text(encoding="utf-8")).get("version")
        if version != entry.get("version"):
            return False
    return True


def node_tools() -> Path:
    """``node_modules`` with the locked test tools, installed with ``npm ci`` when needed."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} not found: install Node.js 20 or later"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not _installed_matches_lock():
        done = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            pytest.fail(f"npm ci failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return ROOT / "node_modules"


def unzip(archive: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(target)
    return target


def validate_with_schemas(package_dir: Path) -> dict[str, Any]:
    """libxml2's verdict on the package's manifest, against the schemas in the package."""
    node_tools()
    done = subprocess.run(
        ["node", str(HARNESS / "validate_manifest.cjs"), str(package_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"valid": False, "errors": [done.stdout + done.stderr]}


# ---------------------------------------------------------------- structural checks

NS = {
    "1.2": {
        "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "scormtype": "scormtype",
        "schemaversion": "1.2",
        "schemas": {"imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"},
    },
    "2004": {
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "scormtype": "scormType",
        "schemaversion": "2004 4th Edition",
        "schemas": {
            "imscp_v1p1.xsd",
            "adlcp_v1p3.xsd",
            "xml.xsd",
            "XMLSchema.dtd",
            "datatypes.dtd",
        },
    },
}


def structural_problems(archive: Path, version: str, course: dict[str, Any]) -> list[str]:
    """Checks an LMS's import makes on a package, beyond what the XML schemas can say.

    1. ``imsmanifest.xml`` is at the zip root, is well-formed XML, and uses the version's
       content-packaging namespace with ``<schema>ADL SCORM</schema>`` and the right
       ``<schemaversion>``.
    2. The manifest's identifier is the course id (as an XML ID) and both the organisation and its
       item carry the course title.
    3. ``organizations/@default`` names an organisation of the manifest; each item's
       ``identifierref`` names a resource; identifiers are unique.
    4. There is exactly one resource; it is a SCO (``adlcp:scormtype``/``scormType`` = sco) of type
       webcontent whose ``href`` (the launch page) is in the zip.
    5. Every ``<file href>`` is a relative path inside the package that exists in the zip, and every
       file of the zip except the manifest and its schema files is listed, exactly once.
    6. Every schema file named in ``xsi:schemaLocation`` is at the zip root.
    7. SCORM 1.2: ``adlcp:masteryscore`` is a whole number from 0 to 100 equal to the course's
       mastery score as a percentage.
    8. No two zip entries differ only in letter case (Windows and some LMS file stores would
       merge them), and no entry is a folder outside the package (``..``) or absolute.
    """
    spec = NS[version]
    cp = "{" + spec["cp"] + "}"
    adlcp = "{" + spec["adlcp"] + "}"
    problems: list[str] = []
    with zipfile.ZipFile(archive) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        if "imsmanifest.xml" not in names:
            return ["imsmanifest.xml is not at the zip root"]
        try:
            tree = ElementTree.fromstring(zf.read("imsmanifest.xml"))
        except ElementTree.ParseError as exc:
            return [f"imsmanifest.xml is not well-formed: {exc}"]
    if tree.tag != f"{cp}manifest":
        problems.append(f"root element is {tree.tag}, expected {cp}manifest")
    if tree.findtext(f"{cp}metadata/{cp}schema") != "ADL SCORM":
        problems.append("metadata/schema is not 'ADL SCORM'")
    if tree.findtext(f"{cp}metadata/{cp}schemaversion") != spec["schemaversion"]:
        problems.append(f"metadata/schemaversion is not {spec['schemaversion']!r}")
    if tree.get("identifier") != course["id"]:
        problems.append(f"manifest identifier {tree.get('identifier')!r} != course id")
    ids = [e.get("identifier") for e in tree.iter() if e.get("identifier")]
    if len(ids) != len(set(ids)):
        problems.append(f"identifiers are not unique: {ids}")
    orgs = tree.find(f"{cp}organizations")
    org_ids = [o.get("identifier") for o in orgs.findall(f"{cp}organization")]
    if orgs.get("default") not in org_ids:
        problems.append("organizations/@default names no organization")
    resources = tree.findall(f"{cp}resources/{cp}resource")
    resource_ids = {r.get("identifier") for r in resources}
    for org in orgs.findall(f"{cp}organization"):
        if org.findtext(f"{cp}title") != course["title"]:
            problems.append("organization title is not the course title")
        for item in org.iter(f"{cp}item"):
            if item.findtext(f"{cp}title") != course["title"]:
                problems.append("item title is not the course title")
            if item.get("identifierref") not in resource_ids:
                problems.append(f"item {item.get('identifier')} points at no resource")
            if version == "1.2":
                score = item.findtext(f"{adlcp}masteryscore")
                expected = str(round(course["mastery_score"] * 100))
                if score != expected:
                    problems.append(f"adlcp:masteryscore is {score!r}, expected {expected}")
    if len(resources) != 1:
        problems.append(f"expected one resource, found {len(resources)}")
    for resource in resources:
        if resource.get(f"{adlcp}{spec['scormtype']}") != "sco":
            problems.append("the resource is not a SCO")
        if resource.get("type") != "webcontent":
            problems.append("the resource type is not webcontent")
        if resource.get("href") not in names:
            problems.append(f"launch page {resource.get('href')!r} is not in the zip")
        listed = [f.get("href") for f in resource.findall(f"{cp}file")]
        from urllib.parse import unquote

        listed_paths = [unquote(h) for h in listed]
        if len(listed_paths) != len(set(listed_paths)):
            problems.append("a file is listed twice")
        for href in listed_paths:
            if href.startswith(("/", "../")) or "/../" in href or "://" in href:
                problems.append(f"file href {href!r} leaves the package")
            if href not in names:
                problems.append(f"listed file {href!r} is not in the zip")
        content = {n for n in names if not CONTROL_FILES.match(n)}
        unlisted = sorted(content - set(listed_paths))
        if unlisted:
            problems.append(f"files in the zip but not in the manifest: {unlisted[:10]}")
    location = tree.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "").split()
    for xsd in location[1::2]:
        if xsd not in names:
            problems.append(f"schema {xsd} named in schemaLocation is not in the zip")
    if not spec["schemas"] <= set(names):
        problems.append(f"schema files missing: {sorted(spec['schemas'] - set(names))}")
    lowered = [n.lower() for n in names]
    if len(lowered) != len(set(lowered)):
        problems.append("two zip entries differ only in letter case")
    for name in names:
        if name.startswith("/") or ".." in name.split("/"):
            problems.append(f"zip entry {name!r} leaves the package")
    return problems


# ---------------------------------------------------------------- the stand-in LMS


def make_lms(webroot: Path) -> Path:
    """Put the harness page and scorm-again's browser builds at ``webroot/lms/``."""
    modules = node_tools()
    lms = webroot / "lms"
    (lms / "scorm-again").mkdir(parents=True, exist_ok=True)
    for name in ("harness.html", "harness.js"):
        shutil.copy(HARNESS / name, lms / name)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(modules / "scorm-again" / "dist" / name, lms / "scorm-again" / name)
    return lms


def launch_config(package_dir: Path) -> dict[str, Any]:
    text = (package_dir / "index.html").read_text(encoding="utf-8")
    match = re.search(
        r'<script type="application/json" id="smx-lms-config">(.*?)</script>', text, re.S
    )
    assert match, "the launch page has no configuration"
    return json.loads(match.group(1).replace("<\\/", "</"))
