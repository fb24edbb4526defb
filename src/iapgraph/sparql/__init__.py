"""The SPARQL wing: the query library, the engines (Oxigraph, rdflib, a remote endpoint), the
checks done before an engine sees a query, the worker processes that enforce time limits, and the
read-only SPARQL 1.1 endpoint (``iapgraph serve``).

The facade's ``kg.query`` is the entry point; modules here are handed a loaded graph and never load.
"""
