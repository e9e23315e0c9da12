#!/usr/bin/env node
/*
 * Validate a SCORM package's imsmanifest.xml against the XML schemas the package itself carries,
 * with libxml2 (xmllint-wasm, from the npm registry; `npm ci` installs it).
 *
 *   node tests/scorm_harness/validate_manifest.cjs UNZIPPED_PACKAGE_DIR
 *
 * Prints {"valid": bool, "version": "1.2"|"2004", "errors": [...]} and exits 0 when valid, 1 when
 * not, 2 when it could not run.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const SETS = {
  "1.2": {
    marker: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    imports: {
      "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
      "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    },
    preload: ["imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"],
  },
  "2004": {
    marker: "http://www.imsglobal.org/xsd/imscp_v1p1",
    imports: {
      "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
      "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    },
    preload: ["imscp_v1p1.xsd", "adlcp_v1p3.xsd", "xml.xsd", "XMLSchema.dtd", "datatypes.dtd"],
  },
};

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: validate_manifest.cjs UNZIPPED_PACKAGE_DIR");
  const { validateXML } = require("xmllint-wasm");
  const xml = fs.readFileSync(path.join(dir, "imsmanifest.xml"), "utf8");
  const version = Object.keys(SETS).find((v) => xml.includes(`xmlns="${SETS[v].marker}"`));
  if (!version) throw new Error("imsmanifest.xml has neither SCORM 1.2 nor 2004 namespaces");
  const set = SETS[version];
  // One driver schema that imports every namespace the manifest uses, so that the elements and
  // attributes the IMS schema lets in from other namespaces are checked strictly too.
  const driver =
    '<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n' +
    Object.entries(set.imports)
      .map(([ns, file]) => `  <xs:import namespace="${ns}" schemaLocation="${file}"/>\n`)
      .join("") +
    "</xs:schema>\n";
  const preload = set.preload.map((fileName) => ({
    fileName,
    contents: fs.readFileSync(path.join(dir, fileName), "utf8"),
  }));
  const result = await validateXML({
    xml: [{ fileName: "imsmanifest.xml", contents: xml }],
    schema: [{ fileName: "driver.xsd", contents: driver }],
    preload,
  });
  const errors = (result.errors || []).map((e) => e.rawMessage || e.message || String(e));
  process.stdout.write(JSON.stringify({ valid: result.valid, version, errors }) + "\n");
  process.exit(result.valid ? 0 : 1);
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ valid: false, errors: [String(err && err.message)] }) + "\n");
  process.exit(2);
});
