"""lesion: from a trained network to a lesion database.

- :mod:`lesion.measure` (numpy): class selectivity, mutual information, single-unit
  ablation, ablation and noise curves (Morcos et al. 2018).
- :class:`lesion.RunDocument`: builds run documents (``lesion.run/1``), checking
  each value as it is added; writes ``.json``, ``.jsonl`` and ``.gz``.
- :func:`lesion.ingest`: streams documents to the `lesion` binary.
- :mod:`lesion.torch` (needs PyTorch): ``probe(model, layers, train_loader,
  test_loader)`` measures a PyTorch model and returns its RunDocument.
"""

from . import measure
from .document import FORMAT, Checkpoint, RunDocument, RunDocumentError, dumps, write
from .ingest import (IngestRefusedError, IngestSummary, LesionCommandError, LesionError,
                     LesionNotFoundError, find_binary, ingest)

__version__ = "0.1.0"

__all__ = ["measure", "FORMAT", "Checkpoint", "RunDocument", "RunDocumentError", "dumps", "write",
           "ingest", "find_binary", "IngestSummary", "LesionError", "LesionNotFoundError",
           "IngestRefusedError", "LesionCommandError"]
