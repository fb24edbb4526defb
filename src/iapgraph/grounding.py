"""Grounding: which registry identifier stands for an entity outside the project, and how much of
the graph is grounded.

An entity's *preferred CURIE* is the identifier other knowledge graphs use for its kind (a protein's
HGNC id, a drug's ChEBI id, a disease's MONDO id ...), written with the Biolink Model's prefix
spelling (``HGNC:592``, ``CHEBI:177705``, ``NCBITaxon:9606``); an entity that no registry has keeps
the project's own ``iapgraph:`` CURIE. Coverage is counted from the dataset's xrefs alone: the
reference tables that ``make check-ids`` reads are not part of the product.

>>> from iapgraph.model import Entity
>>> preferred_curie(Entity("XIAP", "protein", "XIAP", xrefs=("uniprot:P98170", "hgnc:592")))
'HGNC:592'
>>> preferred_curie(Entity("smac_peptides", "drug_class", "SMAC peptides"))
'iapgraph:smac_peptides'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import vocab
from .model import Dataset, Entity

#: The project's CURIE prefix for entities that no registry has (expands to the entity IRIs).
PROJECT_PREFIX = "iapgraph"

#: Our lower-case xref prefix -> the Biolink Model's spelling of it (its prefix map's keys).
BIOLINK_PREFIX = {
    "hgnc": "HGNC", "uniprot": "UniProtKB", "ncbigene": "NCBIGene", "pfam": "PFAM", "interpro": "interpro",
    "mirbase": "mirbase", "mirbase.mature": "mirbase.mature", "chebi": "CHEBI",
    "pubchem.compound": "PUBCHEM.COMPOUND", "clinicaltrials": "CLINICALTRIALS",
    "euclinicaltrials": "euclinicaltrials", "go": "GO", "mondo": "MONDO", "doid": "DOID",
    "ncbitaxon": "NCBITaxon", "cl": "CL", "complexportal": "ComplexPortal", "mesh": "MESH",
    "drugbank": "DRUGBANK", "chembl.compound": "CHEMBL.COMPOUND", "ncit": "NCIT", "efo": "EFO",
    "uberon": "UBERON", "fplx": "FPLX", "lspci": "lspci",
}

_DRUG = ("chebi", "mesh", "drugbank", "pubchem.compound", "chembl.compound", "lspci")
_FAMILY = ("fplx", "go", "complexportal", "interpro", "pfam", "mesh")
#: Per kind, the registries in order of preference (the first the entity has wins).
PREFERRED: dict[str, tuple[str, ...]] = {
    "protein": ("hgnc", "uniprot", "ncbigene"),
    "protein_form": ("hgnc", "uniprot", "ncbigene"),
    "drug": _DRUG, "chemical": _DRUG, "drug_class": _DRUG, "molecular_entity": _DRUG,
    "cancer_type": ("mondo", "doid", "efo", "ncit", "mesh"),
    "disease": ("mondo", "doid", "efo", "ncit", "mesh"),
    "biological_process": ("go", "mesh"), "pathway": ("go", "mesh"), "hallmark": ("go", "mesh"),
    "cellular_component": ("go", "mesh"),
    "cell_type": ("cl", "mesh"),
    "tissue": ("uberon", "mesh"),
    "organism": ("ncbitaxon", "mesh"),
    "experimental_model": ("efo", "mesh"),
    "protein_family": _FAMILY, "complex": _FAMILY,
    "domain": ("interpro", "pfam"), "domain_type": ("interpro", "pfam"),
    "mirna": ("mirbase", "mirbase.mature"),
    "clinical_trial": ("clinicaltrials", "euclinicaltrials"),
}

#: Prefixes whose ids identify the thing itself in a registry (a trial number is grounded too, but
#: the coverage below counts the ontology and gene/protein registries the issue asks for).
GROUNDING_PREFIXES = tuple(p for p in vocab.PREFIXES if p not in ("clinicaltrials", "euclinicaltrials",
                                                                  "mirbase", "mirbase.mature",
                                                                  "complexportal"))

#: Kind groups as the coverage reports them (the same groups as scripts/check_identifiers.py), counted
#: as issue 15 counts them: drugs/chemicals are the named agents (drug, chemical); the classes of
#: agents are a group of their own, which has no coverage target (few classes have a registry term).
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "drugs/chemicals": ("drug", "chemical"),
    "drug classes": ("drug_class",),
    "cancer types/diseases": ("cancer_type", "disease"),
    "processes/pathways": ("biological_process", "pathway"),
    "cell types": ("cell_type",),
    "organisms": ("organism",),
    "experimental models": ("experimental_model",),
    "tissues": ("tissue",),
    "cellular components": ("cellular_component",),
    "protein families/complexes": ("protein_family", "complex"),
    "proteins": ("protein",),
}


def biolink_curie(xref: str) -> str:
    """An xref in the Biolink Model's prefix spelling: ``hgnc:592`` -> ``HGNC:592``."""
    prefix, _, local = xref.partition(":")
    return f"{BIOLINK_PREFIX.get(prefix, prefix)}:{local}"


def preferred_xref(entity: Entity) -> str | None:
    """The entity's xref (as curated) that stands for it outside the project, or None."""
    by_prefix: dict[str, str] = {}
    for xref in entity.xrefs:
        by_prefix.setdefault(xref.partition(":")[0], xref)
    order = PREFERRED.get(entity.kind, ())
    for prefix in (*order, *vocab.PREFIXES):
        if prefix in by_prefix:
            return by_prefix[prefix]
    return None


def preferred_curie(entity: Entity) -> str:
    """The CURIE an export uses as the entity's id: its preferred xref in Biolink spelling, else
    ``iapgraph:ID``."""
    xref = preferred_xref(entity)
    return biolink_curie(xref) if xref else f"{PROJECT_PREFIX}:{entity.id}"


def curie_map(entities: Mapping[str, Entity]) -> dict[str, str]:
    """Entity id -> preferred CURIE, for every entity."""
    return {eid: preferred_curie(e) for eid, e in entities.items()}


def is_grounded(entity: Entity) -> bool:
    """Whether the entity has an identifier in an ontology or a gene/protein/chemical registry."""
    return any(x.partition(":")[0] in GROUNDING_PREFIXES for x in entity.xrefs)


def grounding_coverage(dataset: Dataset) -> list[dict[str, Any]]:
    """Per kind group: grounded/total, the share in percent, and the ungrounded entity ids.

    Args:
        dataset: the validated dataset.

    Returns:
        One row per kind group that has entities: ``group``, ``kinds``, ``grounded``, ``total``,
        ``percent`` (rounded to one decimal), ``ungrounded`` (ids, sorted).
    """
    rows = []
    for group, kinds in KIND_GROUPS.items():
        members = [e for e in dataset.entities.values() if e.kind in kinds]
        if not members:
            continue
        grounded = [e for e in members if is_grounded(e)]
        rows.append({
            "group": group, "kinds": list(kinds), "grounded": len(grounded), "total": len(members),
            "percent": round(100 * len(grounded) / len(members), 1),
            "ungrounded": sorted(e.id for e in members if not is_grounded(e)),
        })
    return rows
