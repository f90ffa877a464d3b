"""Passed / failed / skipped per A2A binding from the TCK's JUnit XML (run-tck.sh writes it to per-binding.txt).

A test belongs to the binding it exercises: its ``[jsonrpc|http_json|grpc]`` parameter, its directory
(``jsonrpc/``, ``http_json/``, ``grpc/``), a ``JsonRpc``/``Rest``/``Grpc`` test class, or a ``_jsonrpc``/``_rest``/
``_http_json`` name suffix; the rest (the agent-card tests) is binding-independent.

    python3 junit-summary.py tck-out/junit.xml
"""

import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter

BINDINGS = ["jsonrpc", "http_json", "grpc", "binding-independent"]


def binding_of(classname: str, name: str) -> str:
    param = re.search(r"[\[-](jsonrpc|http_json|grpc)\]$", name)
    if param:
        return param.group(1)
    test_class = classname.split(".")[-1]
    if ".grpc." in classname or "Grpc" in test_class:
        return "grpc"
    if ".http_json." in classname or "Rest" in test_class or name.endswith(("_rest", "_http_json")):
        return "http_json"
    if ".jsonrpc." in classname or "JsonRpc" in test_class or name.endswith("_jsonrpc"):
        return "jsonrpc"
    return "binding-independent"


def outcome_of(case: ET.Element) -> str:
    if case.find("failure") is not None or case.find("error") is not None:
        return "failed"
    return "skipped" if case.find("skipped") is not None else "passed"


def main(path: str) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    for case in ET.parse(path).getroot().iter("testcase"):
        counts[(binding_of(case.get("classname", ""), case.get("name", "")), outcome_of(case))] += 1
    print(f"{'binding':<20} {'passed':>6} {'failed':>6} {'skipped':>7}")
    for binding in BINDINGS:
        row = [counts[(binding, outcome)] for outcome in ("passed", "failed", "skipped")]
        print(f"{binding:<20} {row[0]:>6} {row[1]:>6} {row[2]:>7}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: junit-summary.py <junit.xml>")
    main(sys.argv[1])
