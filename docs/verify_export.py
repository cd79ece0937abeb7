#!/usr/bin/env python3
"""Re-verifies a Consentcast consent-event export (CSV or NDJSON) without Consentcast.

Usage: python3 verify_export.py consent-events.csv [manifest.json]

Checks every event's hash (docs/LEDGER.md, "Event hash"), the links between consecutive events of
each subscriber, the evidence digests where IP address / user agent are still present, and, with a
manifest, the file's SHA-256 and row count. Exit status 0 when everything verifies.

CSV cells are neutralised against spreadsheet formulas (docs/LEDGER.md, "Exports"): a cell that starts with
a single quote ' had exactly one ' added in front of the raw value; it is removed before hashing. NDJSON
values are raw.
"""
import csv
import hashlib
import json
import sys

FIELDS = ["id", "tenant_id", "subscriber_id", "seq", "list_id", "type", "occurred_at", "source",
          "source_detail", "consent_text_id", "consent_text_sha256", "evidence_digest", "wa_message_id",
          "wa_timestamp", "actor_user_id", "reason", "prev_hash"]
GENESIS = "0" * 64


def field(name, value):
    if value is None or value == "":
        return name + "=-\n"
    value = str(value)
    return "%s=%d:%s\n" % (name, len(value.encode("utf-8")), value)


def event_hash(row):
    text = "consentcast-ledger-v1\n" + "".join(field(n, row.get(n)) for n in FIELDS)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evidence_digest(row):
    text = ("consentcast-evidence-v1\n" + field("salt", row.get("evidence_salt"))
            + field("ip", row.get("ip")) + field("user_agent", row.get("user_agent")))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def raw(cell):
    """The raw value of a neutralised CSV cell: without the one leading ' that the export added."""
    return cell[1:] if cell.startswith("'") else cell


def rows(path):
    if path.endswith(".ndjson"):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)
    else:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                yield {name: raw(value) for name, value in row.items()}


def main(path, manifest_path=None):
    problems = 0
    count = 0
    last = {}  # subscriber_id -> (seq, hash)
    for row in rows(path):
        count += 1
        if event_hash(row) != row["hash"]:
            problems += 1
            print("event %s: hash does not match its content" % row["id"])
        if row.get("evidence_salt") and (row.get("ip") or row.get("user_agent")):
            if evidence_digest(row) != row["evidence_digest"]:
                problems += 1
                print("event %s: IP address / user agent do not match evidence_digest" % row["id"])
        seq = int(row["seq"])
        previous = last.get(row["subscriber_id"])
        if seq == 1 and row["prev_hash"] != GENESIS:
            problems += 1
            print("event %s: first event of the subscriber does not start the chain" % row["id"])
        if previous is not None and previous[0] + 1 == seq and previous[1] != row["prev_hash"]:
            problems += 1
            print("event %s: prev_hash does not match the previous event" % row["id"])
        last[row["subscriber_id"]] = (seq, row["hash"])
    if manifest_path:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != manifest["sha256"] or count != manifest["rows"]:
            problems += 1
            print("the file does not match the manifest (sha256 or row count)")
    print("%d events checked, %d problems" % (count, problems))
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
