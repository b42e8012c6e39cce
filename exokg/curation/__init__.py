"""What curators edit, read and checked: the YAML statement files, the sources, the edit ontology.

:mod:`~exokg.curation.records` reads ``ontology/curation/*.yaml`` into typed records with file:line
problems; :mod:`~exokg.curation.statements` turns them into RDF (one reified statement per finding);
:mod:`~exokg.curation.ontology` loads ``exokg-edit.ttl`` with its import modules;
:mod:`~exokg.curation.ids` keeps identifiers stable; :mod:`~exokg.curation.validate` checks it all
(references, SHACL shapes, obsolete terms). It may import :mod:`exokg.core` only.
"""
