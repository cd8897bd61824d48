"""Sums the counters of every TRX file under a folder and prints 'N passed, N failed, N skipped'.

Before that line it names every failed test with the first lines of its message, so the tail of a CI log
always says what failed. Exits non-zero when any test failed or when no test ran at all.
"""
import glob
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILED_OUTCOMES = {"Failed", "Error", "Timeout", "Aborted"}
passed = failed = skipped = 0
failures = []
files = glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True)
for path in files:
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", NS)
    if counters is None:
        continue
    c = {k: int(v) for k, v in counters.attrib.items()}
    passed += c.get("passed", 0)
    failed += c.get("failed", 0) + c.get("error", 0) + c.get("timeout", 0) + c.get("aborted", 0)
    skipped += c.get("notExecuted", 0) + c.get("inconclusive", 0)
    for result in root.iterfind("t:Results/t:UnitTestResult", NS):
        if result.get("outcome") not in FAILED_OUTCOMES:
            continue
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS).strip()
        lines = [line for line in message.splitlines() if line.strip()][:6]
        failures.append((result.get("testName", "?"), result.get("duration", "?"), lines))
for name, duration, lines in failures:
    print(f"FAILED {name} ({duration})")
    for line in lines:
        print(f"    {line}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
