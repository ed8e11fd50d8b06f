"""Decks we did not tune to: the corpus every design-quality measure runs over.

- every shipped deck in every shipped theme;
- a custom architecture (four layers, flows that skip layers, long component names);
- generated decks of 6, 30 and 120 personas with realistic, uneven content;
- a mixed-script deck with long names (Finnish, German, Chinese, Arabic, Hindi).

Generated content is deterministic (a seeded generator), so a failure reproduces.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from cardforge.paths import THEMES_DIR

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "decks"

SHIPPED_DECKS = sorted(p.stem for p in DECKS.glob("*.yaml"))
SHIPPED_THEMES = sorted(p.stem for p in THEMES_DIR.glob("*.yaml"))
GENERATED_SIZES = (6, 30, 120)


@dataclass(frozen=True)
class CorpusDeck:
    """One deck of the corpus: a name for test ids, its text (or shipped path) and a theme."""

    name: str
    text: str | None = None
    shipped: Path | None = None
    theme: str | None = None

    def write(self, folder: Path) -> Path:
        """The deck file to build: the shipped file, or the text written into *folder*."""
        if self.shipped is not None:
            return self.shipped
        path = folder / f"{self.name}.yaml"
        path.write_text(self.text or "", encoding="utf-8")
        return path


def corpus() -> list[CorpusDeck]:
    decks = [
        CorpusDeck(f"{deck}-{theme}", shipped=DECKS / f"{deck}.yaml", theme=theme)
        for deck in SHIPPED_DECKS
        for theme in SHIPPED_THEMES
    ]
    decks.append(CorpusDeck("custom-architecture", custom_architecture_deck()))
    decks += [CorpusDeck(f"generated-{n}", generated_deck(n)) for n in GENERATED_SIZES]
    decks.append(CorpusDeck("mixed-script", mixed_script_deck()))
    return decks


ROLE_WORDS = [
    "AI Data Engineer",
    "Analyst Data Engineer",
    "BI Analyst",
    "Discriminative AI Data Scientist",
    "Discriminative AI MLOps Engineer",
    "GenAI Data Scientist",
    "GenAI Chat Developer",
    "Unit Test Writer Agent",
    "Build Agent",
    "Data & AI Product Manager",
    "Project Manager",
    "Prompt Engineer",
    "Responsible AI Reviewer",
    "Platform Security Engineer",
    "Cloud Cost Controller",
    "Feature Store Curator",
    "Evaluation Pipeline Agent",
    "Domain Expert",
]
QUALIFIERS = ["", "", "Senior ", "Lead ", "Regional ", "Principal Platform "]
TEAMS = [
    ("Data Ingestion Team", "IT - Data Platform", "Core team"),
    ("Analytical Team", "Finance - Reporting", "Project team"),
    ("AI Team", "IT - Data Science", "Core team"),
    ("DevOps Team", "IT - Operations", "Core team"),
    ("Engineering Team", "IT - Applications", "Project team"),
    ("Product Management", "Business - Products", "Project team"),
    ("Security and Compliance Office", "Risk", "Core team"),
    ("Customer Experience Analytics Team", "Marketing", "Project team"),
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
    "Azure Container Apps",
    "Azure API Management",
]
PROCESSES = ["DataOps", "MLOps", "GenAIOps", "Inner loop", "Outer loop", "Data warehousing", "SCRUM"]
SKILLS = [
    "SQL",
    "Python",
    "PySpark",
    "KQL",
    "React",
    "Terraform",
    "PowerShell",
    "Statistics",
    "Model (LLM, SLM) knowledge",
    "Fine-tuning/RAG/Agentic concepts",
    "Stakeholder management",
]
SCOPES = [
    "Ingestion/Store of LAMBDA",
    "Process/Serving of LAMBDA, OUTER loop MLOps",
    "INNER loop of GenAIOps",
    "Full DevOps process for the chat front end, the agent back end and their APIs",
    "-",
]
DATA_ACCESS = [
    "Full access to master datalake and full access on AI project specific areas",
    "No access on master datalake/lakehouse and read access on assigned project specific areas",
    "Read access on assigned project specific areas in datalake",
    "No access to datalake",
]
ROLES = ["Owner", "Contributor", "Reader", "Storage Blob Data Reader", "Key Vault Secrets User"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_quote(i) for i in items) + "]"


def generated_deck(count: int, seed: int = 7) -> str:
    """A deck of *count* personas with uneven, realistic content and RBAC grants."""
    rng = random.Random(seed * 1000 + count)
    teams = TEAMS[: max(3, min(len(TEAMS), count // 4 + 2))]
    lines = [
        "cardforge: 1",
        _kv("title", f"Personas of a {count}-persona AI programme"),
        _kv("subtitle", "Generated for design checks"),
        "organisation: Fabrikam",
        'footer: "Fabrikam - Internal"',
        "teams:",
    ]
    for name, department, group in teams:
        lines.append(
            f"  - {{name: {_quote(name)}, department: {_quote(department)}, group: {_quote(group)}}}"
        )
    lines += [
        "processes:",
        "  - {name: DataOps}",
        "  - {name: MLOps, stages: [Dev, Stage, Prod]}",
        "  - {name: GenAIOps, stages: [Dev, Stage, Prod]}",
        '  - {name: "Inner loop"}',
        '  - {name: "Outer loop"}',
        "personas:",
    ]
    ids = [f"P{i + 1:03d}" for i in range(count)]
    for i, persona_id in enumerate(ids):
        lines += _generated_persona(rng, i, persona_id, ids, teams)
    lines += _generated_use_cases(rng, ids)
    lines += ["rbac:", "  environments: [Dev, Stage, Prod]", "  grants:"]
    for persona_id in ids:
        for service in rng.sample(SERVICES, rng.randint(1, 3)):
            roles = {env: rng.choice(ROLES) for env in ("Dev", "Stage", "Prod")}
            role_text = ", ".join(f"{env}: {_quote(role)}" for env, role in roles.items())
            grant = f"persona: {persona_id}, service: {_quote(service)}, roles: {{{role_text}}}"
            lines.append(f"    - {{{grant}}}")
    return "\n".join(lines) + "\n"


WANTS = [
    ("fresh sales data in the silver layer every morning", "the forecast trains on complete data"),
    ("to compare a new model with the one in production", "only a better model is promoted"),
    ("the chat to cite the documents it used", "users can check an answer before they act on it"),
    ("an alert when a pipeline fails overnight", "reports are never a day late without anyone knowing"),
    (
        "read-only access in production and a way to ask for more for an hour",
        "audits find no standing access",
    ),
    ("one place to see which model version runs in each environment", ""),
]


def _generated_use_cases(rng: random.Random, ids: list[str]) -> list[str]:
    lines = ["use_cases:"]
    for case in range(max(1, len(ids) // 10)):
        lines += [
            f"  - id: UC{case + 1}",
            _kv("name", f"Use case {case + 1}: {rng.choice(ROLE_WORDS)} support", 4),
            f"    category: {rng.choice(['pretrained', 'discriminative', 'generative'])}",
            f"    architecture: {rng.choice(['lambda', 'rag-chat'])}",
            _kv("description", "Generated to exercise the use-case slides with uneven stories.", 4),
            "    stories:",
        ]
        for persona_id in rng.sample(ids, min(len(ids), rng.randint(1, 14))):
            want, so_that = rng.choice(WANTS)
            story = f"persona: {persona_id}, want: {_quote(want)}"
            lines.append(f"      - {{{story}" + (f", so_that: {_quote(so_that)}}}" if so_that else "}"))
    return lines


def _kv(key: str, value: str, indent: int = 0) -> str:
    return f"{' ' * indent}{key}: {_quote(value)}"


def _generated_persona(
    rng: random.Random, index: int, persona_id: str, ids: list[str], teams: list[tuple[str, str, str]]
) -> list[str]:
    name = rng.choice(QUALIFIERS) + ROLE_WORDS[index % len(ROLE_WORDS)]
    team = teams[index % len(teams)][0]
    partners = [rng.choice(teams)[0]] + ([rng.choice(ids)] if rng.random() < 0.3 else [])
    services = rng.sample(SERVICES, rng.randint(1, 8))
    lines = [
        f"  - id: {persona_id}",
        _kv("name", name, 4),
        f"    kind: {'agent' if 'Agent' in name else 'person'}",
        f"    category: {rng.choice(['pretrained', 'discriminative', 'generative'])}",
        _kv("team", team, 4),
        f"    interacts_with: {_flow(sorted(set(partners) - {persona_id}))}",
        f"    processes: {_flow(rng.sample(PROCESSES, rng.randint(0, 3)))}",
        f"    architectures: {_flow(rng.sample(['lambda', 'rag-chat'], rng.randint(0, 2)))}",
        _kv("scope", rng.choice(SCOPES), 4),
        f"    services: {_flow(services)}",
        _kv("data_access", rng.choice(DATA_ACCESS), 4),
        f"    skills: {_flow(rng.sample(SKILLS, rng.randint(1, 6)))}",
        "    learn:",
    ]
    for k in range(rng.randint(0, 3)):
        url = f"https://learn.microsoft.com/training/paths/{persona_id.lower()}-path-{k + 1}/"
        lines.append(f"      - {{title: {_quote(f'Learning path {k + 1} for {name}')}, url: {_quote(url)}}}")
    if not lines[-1].startswith("      -"):
        lines[-1] = "    learn: []"
    people = [f"Person {index + 1}{chr(65 + k)}" for k in range(rng.randint(0, 3))]
    lines.append(f"    people: {_flow(people)}")
    return lines


def custom_architecture_deck() -> str:
    """Four layers, flows that skip layers and run backwards, long component names, badges."""
    return """\
cardforge: 1
title: Personas on our event platform
organisation: Northwind
architectures:
  - id: events
    title: Northwind event platform
    layers:
      - name: Sources
        components:
          - {id: pos, name: Point-of-sale terminals}
          - {id: web, name: Web shop}
          - {id: erp, name: SAP S/4HANA finance and logistics}
      - name: Ingest
        components:
          - {id: eh, name: Azure Event Hubs}
          - {id: adf, name: Azure Data Factory}
          - {id: iot, name: Azure IoT Hub}
      - name: Store and process
        components:
          - {id: adls, name: Azure Data Lake Storage Gen2}
          - {id: dbx, name: Azure Databricks}
          - {id: asa, name: Azure Stream Analytics}
          - {id: kv, name: Azure Key Vault}
      - name: Serve
        components:
          - {id: pbi, name: Power BI}
          - {id: aml, name: Azure Machine Learning}
          - {id: api, name: Azure API Management}
    flows:
      - {from: pos, to: eh, label: "1"}
      - {from: web, to: eh, label: "2"}
      - {from: erp, to: adf, label: "3"}
      - {from: eh, to: asa, label: "4"}
      - {from: adf, to: adls, label: "5"}
      - {from: asa, to: pbi, label: "6"}
      - {from: adls, to: dbx, label: "7"}
      - {from: dbx, to: aml, label: "8"}
      - {from: pos, to: adls, label: "9"}
      - {from: aml, to: api, label: "10"}
      - {from: iot, to: asa, label: "11"}
      - {from: api, to: web, label: "12"}
personas:
  - id: N01
    name: Streaming Data Engineer
    team: Data Platform Team
    interacts_with: [Analytics Team]
    processes: [DataOps]
    architectures: [events]
    services: [Azure Event Hubs, Azure Stream Analytics, Azure Data Lake Storage Gen2, Azure IoT Hub]
    skills: [KQL, Python]
    people: [Ines Ortega]
  - id: N02
    name: Batch Data Engineer
    team: Data Platform Team
    interacts_with: [N01]
    processes: [DataOps]
    architectures: [events]
    services: [Azure Data Factory, Azure Databricks, Azure Data Lake Storage Gen2, Azure Key Vault]
    skills: [SQL, PySpark]
    people: [Tom Baker]
  - id: N03
    name: Store Performance Analyst
    team: Analytics Team
    interacts_with: [Data Platform Team]
    processes: [Data warehousing]
    architectures: [events]
    services: [Power BI, Azure Databricks]
    skills: [DAX, SQL]
    people: [Mia Wong]
  - id: N04
    name: Demand Forecasting Data Scientist
    team: Analytics Team
    interacts_with: [N02, Integration Team]
    processes: [MLOps]
    architectures: [events]
    services: [Azure Machine Learning, Azure Databricks, Azure Key Vault]
    skills: [Python, Statistics]
    people: []
  - id: N05
    name: Integration Developer
    team: Integration Team
    interacts_with: [Analytics Team]
    processes: [DevOps]
    architectures: [events]
    services: [Azure API Management, Web shop, SAP S/4HANA finance and logistics, Point-of-sale terminals]
    skills: [C#, OpenAPI]
    people: [Sam Otieno]
  - id: N06
    name: Deployment Agent
    kind: agent
    team: Integration Team
    interacts_with: [Data Platform Team]
    processes: [Outer loop]
    architectures: [events]
    services: [Azure Machine Learning, Azure API Management, Azure Key Vault]
    skills: [Bicep]
rbac:
  environments: [Dev, Prod]
  grants:
    - {persona: N01, service: Azure Event Hubs, roles: {Dev: Owner, Prod: Contributor}}
    - {persona: N02, service: Azure Data Factory, roles: {Dev: Contributor, Prod: Reader}}
    - {persona: N06, service: Azure Machine Learning, roles: {Dev: Contributor, Prod: Contributor}}
"""


def mixed_script_deck() -> str:
    """Long names in several scripts, long single words, right-to-left text."""
    return """\
cardforge: 1
title: Monikielinen persona-kortisto – 多语言角色卡 – بطاقات الشخصيات
organisation: Contoso International
language: fi
personas:
  - id: X001
    name: Tietovarastoarkkitehtuurisuunnittelija ja tekoälyasiantuntija
    colour: Dark Blue
    team: Tietoalustatiimi
    interacts_with: [数据科学团队]
    processes: [DataOps, Tietovarastointi]
    architectures: [lambda]
    scope: Datensicherheitsüberwachungsverantwortlicher für das gesamte Lakehouse
    services: [Azure Data Factory, Azure Databricks, Azure Storage, Microsoft Fabric]
    data_access: Vollzugriff auf den Master-Datalake und projektspezifische Bereiche
    skills: [SQL, Python, Donaudampfschifffahrtsgesellschaftskapitänsausbildung]
    people: [Aino Järvinen-Korhonen]
  - id: X002
    name: 数据科学家（生成式人工智能与检索增强生成）
    colour: Purple
    team: 数据科学团队
    interacts_with: [Tietoalustatiimi, فريق الهندسة]
    processes: [GenAIOps, Inner loop]
    architectures: [rag-chat]
    category: generative
    scope: 检索增强生成聊天应用的内部循环
    services: [Azure OpenAI, Azure AI Search, Azure Machine Learning]
    skills: [Python, 提示工程, 模型评估]
    people: [王小明]
  - id: X003
    name: مهندس تطوير تطبيقات المحادثة بالذكاء الاصطناعي
    colour: Light Green
    team: فريق الهندسة
    interacts_with: [数据科学团队]
    processes: [Outer loop]
    architectures: [rag-chat]
    services: [Azure Container Apps, Azure API Management, Azure Cosmos DB, Azure Key Vault]
    skills: [React, Node.js]
    people: [ليلى حداد]
  - id: X004
    name: वरिष्ठ मशीन लर्निंग संचालन अभियंता
    colour: Orange
    team: DevOps Team
    interacts_with: [Tietoalustatiimi]
    processes: [MLOps, Outer loop]
    architectures: [lambda]
    services: [Azure DevOps, GitHub, Azure Machine Learning]
    skills: [PowerShell, Python]
    people: [प्रिया शर्मा, Jean-Baptiste Dupont-Laurent]
  - id: X005
    name: Datenschutz- und Informationssicherheitsbeauftragte
    colour: Teal
    team: Sicherheits- und Compliance-Abteilung
    interacts_with: [DevOps Team, X001]
    processes: [Governance]
    services: [Azure Key Vault, Microsoft Purview, Azure Policy]
    skills: [Risikobewertung, ISO 27001]
    people: [Ulrike Müller-Lüdenscheidt]
  - id: X006
    name: Évaluateur IA responsable
    colour: Magenta
    team: 数据科学团队
    interacts_with: [X002]
    processes: [GenAIOps]
    architectures: [rag-chat]
    category: [generative, pretrained]
    services: [Azure AI Content Safety, Azure OpenAI]
    skills: [Évaluation, Red teaming]
    people: []
rbac:
  environments: [Dev, Stage, Prod]
  grants:
    - {persona: X001, service: Azure Data Factory, roles: {Dev: Owner, Stage: Contributor, Prod: Reader}}
    - {persona: X003, service: Azure Cosmos DB, roles: {Dev: Contributor, Stage: Reader, Prod: Owner}}
"""
