"""Generate synthetic decks of any size, for benchmarks and scale tests: every persona
field filled, two architectures, and RBAC grants, so that every section of the default
deck has something to draw.

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
    """A deck of *count* personas, one compact line each, so that 5000 stay under the reader's
    2 MB file limit: flow style, short texts, an RBAC grant for every other persona (two for
    every tenth)."""
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
        services = ", ".join(SERVICES[(i + k) % len(SERVICES)] for k in range(2 + i % 3))
        processes = ", ".join(PROCESSES[(i + k) % len(PROCESSES)] for k in range(1 + i % 3))
        skills = ", ".join(SKILLS[(i + k) % len(SKILLS)] for k in range(1 + i % 3))
        fields = [
            f"id: G{i + 1:04d}",
            f"name: Generated persona {i + 1}",
            *(["kind: agent"] if i % 9 == 8 else []),
            f"category: {CATEGORIES[i % 3]}",
            f"team: {TEAMS[i % len(TEAMS)]}",
            f"interacts_with: [{TEAMS[(i + 1) % len(TEAMS)]}]",
            f"processes: [{processes}]",
            f"architectures: [{'lambda' if i % 2 else 'rag-chat'}]",
            *([f"scope: Scope of persona {i + 1}"] if i % 2 else ["data_access: Read on project areas"]),
            f"services: [{services}]",
            f"skills: [{skills}]",
            *([f'learn: ["https://learn.microsoft.com/t/p{i + 1}"]'] if i % 3 == 0 else []),
            f"people: [{'P' + str(i + 1) if i % 7 else ''}]",
        ]
        lines.append("  - {" + ", ".join(fields) + "}")
    lines += ["rbac:", "  environments: [Dev, Stage, Prod]", "  grants:"]
    for i in range(0, count, 2):
        for k in range(2 if i % 10 == 0 else 1):
            roles = ", ".join(f"{env}: {role}" for env, role in ROLES[(i + k) % len(ROLES)].items())
            service = SERVICES[(i + k) % len(SERVICES)]
            lines.append(f"    - {{persona: G{i + 1:04d}, service: {service}, roles: {{{roles}}}}}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(deck(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
