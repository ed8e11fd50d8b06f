"""Generate synthetic decks of any size, for benchmarks and scale tests: every persona
field filled, two architectures, and two RBAC grants per persona, so that every section
of the default deck has something to draw.

    python benchmarks/generate.py 1000 > /tmp/deck-1000.yaml
"""

from __future__ import annotations

import sys

TEAMS = [
    "Data Ingestion Team",
    "Analytical Team",
    "AI Team",
    "DevOps Team",
    "Engineering Team",
    "Product Management",
]
SERVICES = [
    "Azure Data Factory",
    "Azure Databricks",
    "Azure Event Hubs",
    "Azure Storage",
    "Microsoft Fabric",
    "Power BI",
    "Azure Machine Learning",
    "Azure Key Vault",
    "GitHub",
    "Azure DevOps",
    "Azure OpenAI",
    "Azure AI Search",
    "Azure Cosmos DB",
    "Azure Monitor",
]
PROCESSES = ["DataOps", "MLOps", "GenAIOps", "Inner loop", "Outer loop"]
SKILLS = ["SQL", "Python", "PySpark", "KQL", "React", "Terraform", "PowerShell", "Statistics"]
CATEGORIES = ["pretrained", "discriminative", "generative"]
ROLES = [
    {"Dev": "Contributor", "Stage": "Reader", "Prod": "Reader"},
    {"Dev": "Owner", "Stage": "Contributor", "Prod": "Reader"},
    {"Dev": "Reader", "Stage": "Reader", "Prod": "Reader"},
]


def deck(count: int) -> str:
    lines = [
        "cardforge: 1",
        f"title: Generated deck with {count} personas",
        "organisation: Benchmark Org",
        'footer: "Generated"',
        "teams:",
    ]
    lines += [f"  - {{name: {team}}}" for team in TEAMS]
    lines.append("personas:")
    for i in range(count):
        services = ", ".join(SERVICES[(i + k) % len(SERVICES)] for k in range(3 + i % 4))
        processes = ", ".join(PROCESSES[(i + k) % len(PROCESSES)] for k in range(1 + i % 3))
        skills = ", ".join(SKILLS[(i + k) % len(SKILLS)] for k in range(2 + i % 3))
        lines += [
            f"  - id: G{i + 1:04d}",
            f"    name: Generated persona number {i + 1}",
            f"    kind: {'agent' if i % 9 == 8 else 'person'}",
            f"    category: {CATEGORIES[i % 3]}",
            f"    team: {TEAMS[i % len(TEAMS)]}",
            f"    interacts_with: [{TEAMS[(i + 1) % len(TEAMS)]}]",
            f"    processes: [{processes}]",
            f"    architectures: [{'lambda' if i % 2 else 'rag-chat'}]",
            f"    scope: Scope text for persona {i + 1}, long enough to wrap onto a second line in a table",
            f"    services: [{services}]",
            "    data_access: Read access on assigned project specific areas",
            f"    skills: [{skills}]",
            f'    learn: [{{title: Learning path {i + 1}, url: "https://learn.microsoft.com/training/p{i + 1}"}}]',
            f"    people: [{'Person ' + str(i + 1) if i % 7 else ''}]",
        ]
    lines += ["rbac:", "  environments: [Dev, Stage, Prod]", "  grants:"]
    for i in range(count):
        for k in range(2):
            roles = ", ".join(f"{env}: {role}" for env, role in ROLES[(i + k) % len(ROLES)].items())
            lines.append(
                f"    - {{persona: G{i + 1:04d}, service: {SERVICES[(i + k) % len(SERVICES)]}, roles: {{{roles}}}}}"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(deck(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
