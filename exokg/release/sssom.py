"""exokg's mappings to other vocabularies, as SSSOM: read, check, and write the released copy.

The curated file is ``ontology/mappings/exokg.sssom.tsv`` (SSSOM/TSV: a YAML metadata block behind
``#``, then a table). A release checks it against the slots the SSSOM schema requires — ``mapping_set_id``
and ``license`` for the set; ``predicate_id`` and ``mapping_justification`` for each mapping, plus the
``subject_id`` and ``object_id`` exokg always gives — and against the ontology: every subject must be a
live exokg term whose label matches. Each mapping also says who made it (``author_id`` or
``creator_id``, on the row or the set) and when (``mapping_date``), and the CURIEs of one vocabulary
use one prefix (``cellosaurus:``, never also ``Cellosaurus:``). The released copy adds the set's
version, its publication date and the version IRI of the ontology it maps from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from exokg.core.errors import DataError

__all__ = ["Mappings", "check_mappings", "read_sssom", "sssom_text"]

Mappings = tuple[dict[str, object], list[dict[str, str]]]

SET_REQUIRED = ("mapping_set_id", "license")
ROW_REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")
PREDICATES = frozenset(
    f"skos:{p}Match" for p in ("exact", "close", "broad", "narrow", "related")
) | {"owl:equivalentClass", "rdfs:subClassOf", "oboInOwl:hasDbXref"}
# the mapping_justification pattern of the SSSOM schema
SEMAPV = re.compile(
    r"^semapv:(MappingReview|ManualMappingCuration|LogicalReasoning|LexicalMatching|"
    r"CompositeMatching|UnspecifiedMatching|SemanticSimilarityThresholdMatching|"
    r"LexicalSimilarityThresholdMatching|MappingChaining|MappingInversion|StructuralMatching|"
    r"InstanceBasedMatching|BackgroundKnowledgeBasedMatching)$"
)
# prefixes SSSOM readers know without a curie_map entry
BUILT_IN = frozenset(
    {"owl", "rdf", "rdfs", "skos", "semapv", "sssom", "oboInOwl", "xsd", "dcterms"}
)
_ABSOLUTE_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")


def read_sssom(path: Path) -> Mappings:
    """An SSSOM/TSV file: its metadata block and its rows, with the set-level slots checked."""
    import yaml

    if not path.is_file():
        raise DataError("mapping file missing", where=str(path), fix="restore it from git")
    lines = path.read_text(encoding="utf-8").splitlines()
    meta = [line[1:] for line in lines if line.startswith("#")]
    table = [line for line in lines if line and not line.startswith("#")]
    header = yaml.safe_load("\n".join(meta)) or {}
    if not isinstance(header, dict):
        raise DataError("the metadata block is not a YAML mapping", where=str(path))
    for slot in SET_REQUIRED:
        if not _ABSOLUTE_URI.match(str(header.get(slot, ""))):
            raise DataError(
                f"required slot {slot} is missing or not an absolute URI",
                where=f"{path}:metadata",
                fix=f"add '# {slot}: https://…' to the metadata block",
            )
    if not isinstance(header.get("curie_map"), dict):
        raise DataError("no curie_map", where=f"{path}:metadata", fix="declare every prefix used")
    return header, list(csv.DictReader(table, delimiter="\t"))


def check_mappings(
    mappings: Mappings, labels: dict[str, str], obsolete: set[str], path: Path
) -> None:
    """Each mapping has the required slots, a mapping predicate, a SEMAPV justification, declared
    prefixes and a live exokg subject (``labels``: exokg CURIE → label) with the same label."""
    header, rows = mappings
    curie_map = header["curie_map"]
    declared = BUILT_IN | set(curie_map if isinstance(curie_map, dict) else ())
    by_case: dict[str, set[str]] = {}
    for prefix in declared:
        by_case.setdefault(prefix.lower(), set()).add(prefix)
    twice = sorted(" and ".join(sorted(p)) for p in by_case.values() if len(p) > 1)
    if twice:
        raise DataError(
            f"one vocabulary under two prefixes: {twice[0]}",
            where=f"{path}:metadata",
            fix="keep one prefix (Bioregistry's) and rewrite the CURIEs that use the other",
        )
    first_row = 2 + sum(
        1 for line in path.read_text(encoding="utf-8").splitlines() if line[:1] == "#"
    )
    for number, row in enumerate(rows, start=first_row):
        where = f"{path}:{number}"
        for slot in ROW_REQUIRED:
            value = (row.get(slot) or "").strip()
            if not value:
                raise DataError(f"required slot {slot} is empty", where=where)
            if value.partition(":")[0] not in declared:
                raise DataError(
                    f"prefix of {value} is not in the curie_map", where=where, fix="declare it"
                )
        subject, predicate = row["subject_id"], row["predicate_id"]
        if predicate not in PREDICATES:
            raise DataError(
                f"predicate {predicate} is not a mapping predicate",
                where=where,
                fix=f"use one of {', '.join(sorted(PREDICATES))}",
            )
        if not SEMAPV.match(row["mapping_justification"]):
            raise DataError(
                f"justification {row['mapping_justification']} is not a SEMAPV term",
                where=where,
                fix="use semapv:ManualMappingCuration for hand-curated mappings",
            )
        for slots in (("author_id", "creator_id"), ("mapping_date",)):
            if not any((row.get(slot) or "").strip() or header.get(slot) for slot in slots):
                raise DataError(
                    f"no {' or '.join(slots)} on the row or the mapping set",
                    where=where,
                    fix=f"add a {slots[0]} column (or '# {slots[-1]}:' in the metadata block)",
                )
        if subject not in labels:
            raise DataError(f"{subject} is not an exokg term", where=where)
        if subject in obsolete:
            raise DataError(f"{subject} is obsolete", where=where, fix="map its replacement")
        if row.get("subject_label") and row["subject_label"] != labels[subject]:
            raise DataError(
                f"subject_label {row['subject_label']!r} differs from the ontology's "
                f"{labels[subject]!r}",
                where=where,
                fix="copy the label from ontology/exokg-edit.ttl",
            )


def sssom_text(mappings: Mappings, date: dt.date, subject_source_version: str) -> bytes:
    """The released copy: the curated file plus the set's version and the ontology's version IRI."""
    import yaml

    header, rows = mappings
    meta = {
        **header,
        "mapping_set_version": date.isoformat(),
        "publication_date": date.isoformat(),
        "subject_source_version": subject_source_version,
    }
    block = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    out = io.StringIO()
    out.writelines(f"# {line}\n" for line in block.splitlines())
    columns = list(rows[0]) if rows else list(ROW_REQUIRED)
    writer = csv.DictWriter(out, columns, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()
