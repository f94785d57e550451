"""rdflib-endpoint serving an N-Quads (or TriG) export of the knowledge graph: an rdflib
``Dataset`` whose default graph is the union of its named graphs (like wsis-kg's /sparql),
at ``/sparql``, served by uvicorn with the settings `wsiskg serve` uses.

    python -m bench.rdflib_server --data export.nq --port 8002
"""

from __future__ import annotations

import argparse
import sys
import time

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main() -> None:

    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--data", required=True, help="an .nq or .trig file")
    options.add_argument("--host", default="127.0.0.1")
    options.add_argument("--port", type=int, required=True)
    args = options.parse_args()

    started = time.monotonic()
    dataset = Dataset(default_union=True)
    fmt = "trig" if args.data.endswith(".trig") else "nquads"
    dataset.parse(args.data, format=fmt)
    print(
        f"loaded {len(dataset)} triples from {args.data} in {time.monotonic() - started:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    app = SparqlEndpoint(graph=dataset, path="/sparql", title="wsis-kg (rdflib-endpoint)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
