"""The framework's ceiling: FastAPI routes that return a constant JSON object, served by
uvicorn with the settings `wsiskg serve` uses (``uvicorn.run(app, host=..., port=...,
log_level="info")``, everything else uvicorn's default).

``/constant`` is an ``async def`` route (runs on the event loop: the framework's best case);
``/constant-sync`` a plain ``def`` route like wsis-kg's (runs in the thread pool).

    python -m bench.ceiling --port 8001
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

PAYLOAD = {"status": "ok", "answer": 42}

app = FastAPI(title="ceiling")


@app.get("/constant")
async def constant() -> dict[str, object]:
    return PAYLOAD


@app.get("/constant-sync")
def constant_sync() -> dict[str, object]:
    return PAYLOAD


def main() -> None:

    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--host", default="127.0.0.1")
    options.add_argument("--port", type=int, required=True)
    args = options.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
