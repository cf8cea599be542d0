#!/usr/bin/env python3
"""validate-oruk.py: check JSON documents against the published ORUK 3.0
schemas (shared/reference/oruk-3.0/schemata), for the end-to-end tests.

Reads NDJSON on stdin, one {"schema": "service.json", "doc": {...}, "label": "..."}
per line. Writes one JSON line per input: {"label", "ok", "errors": [...]}.
Also reports, as errors, any null, "" or empty array anywhere in the document
(ORUK: empty fields are omitted, never null).

Exits 0 when every document is valid, 1 otherwise, 2 when the schemas are not
there. The schemas are read from ORUK_SCHEMATA (default: the shared folder beside
the checkout, ../../../shared/reference/oruk-3.0/schemata from this file); they are
not part of the repository, and the tests that use them are skipped without them.
"""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "reference", "oruk-3.0",
                                        "schemata"))
SCHEMATA = os.environ.get("ORUK_SCHEMATA") or DEFAULT

_cache = {}


def validator(name):
    if name not in _cache:
        path = os.path.join(SCHEMATA, name)
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        resolver = jsonschema.RefResolver(base_uri="file://" + path, referrer=schema)
        _cache[name] = jsonschema.Draft202012Validator(
            schema, resolver=resolver, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return _cache[name]


def empties(doc, path="$"):
    if doc is None:
        yield path + " is null"
    elif doc == "":
        yield path + ' is ""'
    elif isinstance(doc, list):
        if not doc:
            yield path + " is an empty array"
        for i, v in enumerate(doc):
            yield from empties(v, "%s[%d]" % (path, i))
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield from empties(v, path + "." + k)


def main():
    if not os.path.isfile(os.path.join(SCHEMATA, "service.json")):
        print("validate-oruk: the ORUK 3.0 schemas are not in %s (set ORUK_SCHEMATA)" % SCHEMATA,
              file=sys.stderr)
        return 2
    all_ok = True
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        item = json.loads(line)
        errors = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "$", e.message)
                  for e in validator(item["schema"]).iter_errors(item["doc"])]
        errors += list(empties(item["doc"]))
        ok = not errors
        all_ok = all_ok and ok
        print(json.dumps({"label": item.get("label", ""), "ok": ok, "errors": errors[:10]}))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
