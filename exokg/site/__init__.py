"""The static website of the graph (``exokg site``): term, source, claim and question pages, and search."""
