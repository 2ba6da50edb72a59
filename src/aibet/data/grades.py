"""Source grades (VERDICTS.md rule 6): who published a document decides how far it is trusted.

The rule is one file, `data/source_grades.yaml`: every host a source may come from, listed under
A (the producer of the figure), B (news organisations with editorial standards and recognised
data providers), C (anything else) or `banned` (mirrors, forums, machine translations, AI
summaries, pirated copies, content farms), each with the reason. A source's `grade` in
`data/sources.csv` must be the one its host is listed under; a banned or unlisted host is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

GRADES = ("A", "B", "C")
BANNED = "banned"
RULE_FILE = "source_grades.yaml"


@dataclass(frozen=True)
class HostRule:
    host: str
    grade: str
    """A, B, C or banned."""
    reason: str


def host_of(url: str) -> str:
    """The host a URL names, lower case, without a leading 'www.'."""
    host = (urlparse(url).hostname or "").lower()
    return host.removeprefix("www.")


def load_rules(path: Path) -> dict[str, HostRule]:
    """The host list, checked: each host once, under a known heading, with a reason."""
    parsed = yaml.safe_load(path.read_text()) or {}
    rules: dict[str, HostRule] = {}
    for grade, hosts in parsed.items():
        if grade not in (*GRADES, BANNED):
            raise ValueError(f"{path.name}: unknown heading {grade!r}; use A, B, C or banned")
        for host, reason in (hosts or {}).items():
            if host in rules:
                raise ValueError(f"{path.name}: {host} is listed twice")
            if not str(reason or "").strip():
                raise ValueError(f"{path.name}: {host} needs a reason")
            rules[host] = HostRule(host, grade, str(reason).strip())
    return rules


def rule_for(url: str, rules: dict[str, HostRule]) -> HostRule | None:
    """The most specific listed host the URL's host is, or is a subdomain of."""
    host = host_of(url)
    parts = host.split(".")
    for n in range(len(parts) - 1):
        rule = rules.get(".".join(parts[n:]))
        if rule:
            return rule
    return None


def problems(url: str, grade: str, rules: dict[str, HostRule]) -> list[str]:
    """What is wrong with citing `url` at `grade` (nothing when the rule agrees)."""
    rule = rule_for(url, rules)
    if rule is None:
        return [
            f"the host {host_of(url)!r} is not graded: list it in data/{RULE_FILE} under A, B, C"
            " or banned, with the reason"
        ]
    if rule.grade == BANNED:
        return [f"{rule.host} is banned ({rule.reason}): cite the producer's document instead"]
    if grade != rule.grade:
        return [
            f"grade {grade or '(empty)'!r} should be {rule.grade}: {rule.host} is graded"
            f" {rule.grade} in data/{RULE_FILE} ({rule.reason})"
        ]
    return []
