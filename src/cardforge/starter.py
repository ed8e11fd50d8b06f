"""The commented starter deck that ``cardforge init`` writes."""


def starter_deck(schema: str) -> str:
    """The starter deck, with a first line that points YAML editors at *schema* (a path or URL)."""
    return f"# yaml-language-server: $schema={schema}\n" + STARTER_DECK


STARTER_DECK = """\
# A cardforge deck (format version 1). Build it with:  cardforge build THIS_FILE
# Every key is described in the deck format (docs/deck-format.md); the first line points
# editors with a YAML language server at the JSON Schema (`cardforge schema` prints it).
cardforge: 1
title: Personas for our AI workload
subtitle: Who does what, who needs access to which service
organisation: Contoso          # shown on the title slide and in the footer
theme: default                 # a built-in theme, or a path to your own theme file
footer: "Contoso - Internal"

# Teams are optional: a team named only by a persona is created for you, and a team named
# only in `interacts_with` is a team outside the deck that your personas work with.
teams:
  - name: Data Ingestion Team
    description: Owns the pipelines that bring data in
    department: IT - Data Platform   # where the team lives in your organisation
    group: Core team                 # a grouping of teams, e.g. Core team / Project team
  - name: AI Team
    description: Builds and evaluates the models
    department: IT - Data Science
    group: Project team

# Use cases and their user stories: "As a PERSONA, I want ..., so that ...".
use_cases:
  - id: UC1
    name: Weekly sales forecast
    category: discriminative
    architecture: lambda
    description: A forecast per store every Monday, trained on the curated sales history
    stories:
      - persona: P001
        want: yesterday's sales from every store in the silver layer by 6 am
        so_that: the forecast trains on complete data
      - {persona: P002, want: to retrain the model when new data lands, so_that: the forecast stays fresh}

# Processes default to DataOps, MLOps, GenAIOps, Inner loop and Outer loop.
# processes:
#   - {name: MLOps, description: Operationalising models, stages: [Dev, Stage, Prod]}

personas:
  - id: P001                   # unique; shown on the card title
    name: AI Data Engineer
    colour: Dark Blue          # a palette colour name, or "#RRGGBB" (quote it: # starts a comment)
    kind: person               # person | agent
    category: discriminative   # pretrained | discriminative | generative, or a list
    team: Data Ingestion Team
    interacts_with: [AI Team]  # team names or persona ids
    processes: [DataOps, ETL]  # names not in `processes` become ad-hoc processes
    architectures: [lambda]    # built-in: lambda, rag-chat
    scope: Ingestion and storage of the Lambda architecture
    services:                  # the components this persona needs access to
      - Azure Data Factory
      - {name: Azure Databricks, url: "https://learn.microsoft.com/azure/databricks/"}
    data_access: Full access to the landing zone; read access to curated data
    skills: [SQL, Python, PySpark]
    learn:
      - {title: DataOps for the modern data warehouse, url: "https://learn.microsoft.com/azure/architecture/databases/architecture/dataops-mdw"}
    people: [Ann Lee]          # who fills this persona today; [] marks a staffing gap
    notes: Facilitator notes go to the speaker notes of the card.
    goal: Reliable, current data for every AI project   # one sentence: what the persona is for
    responsibilities:
      - Builds and runs batch and streaming ingestion
      - Curates the silver and gold layers
    example_roles: [Data Engineer, ETL Developer]        # job titles that usually fill it

  - id: P002
    name: Build Agent
    kind: agent                # an unattended agent is a persona too
    team: AI Team
    interacts_with: [P001]
    processes: [MLOps, Outer loop]
    architectures: [lambda]
    services: [Azure Machine Learning, GitHub]
    skills: [Python]

# Who holds which role on which service, per environment (optional).
rbac:
  environments: [Dev, Stage, Prod]
  grants:
    - persona: P001
      service: Azure Data Factory
      roles: {Dev: Contributor, Stage: Reader, Prod: Reader}
"""
