"""Building run documents (``lesion.run/1``) that `lesion ingest` accepts.

The contract is ``shared/run-format.md`` (the project's README describes it for
users). :class:`RunDocument` checks every rule that needs nothing but the document
itself as values are added, so a mistake raises :class:`RunDocumentError` at the
line that made it, naming the place the way `lesion ingest` would
(``checkpoints[0].units.fc1.class_selectivity: 127 values, layer fc1 has 128 units``).
Rules that need the database (a stored model's header, merges) are `lesion`'s.

Documents are written as JSON text only (``.json``, ``.jsonl``, either ``.gz``):
never pickled.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import numbers
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

import numpy as np

__all__ = ["RunDocument", "Checkpoint", "RunDocumentError", "FORMAT", "write", "dumps"]

FORMAT = "lesion.run/1"

NAME_LIMIT = 200
ATTRIBUTE_NAME_LIMIT = 100
LABEL_LIMIT = 10_000

# Ranges of well-known names: (low, high, high included?)
_FRACTION = (0.0, 1.0, True)
_NON_NEGATIVE = (0.0, math.inf, True)
_CHECKPOINT_RANGES = {
    "train_accuracy": _FRACTION, "test_accuracy": _FRACTION,
    "train_loss": _NON_NEGATIVE, "test_loss": _NON_NEGATIVE,
}
# Unit metrics: name -> (kind, range). kind: "number", "vector" (per class), "text".
_UNIT_METRICS = {
    "class_selectivity": ("number", None),
    "mutual_information": ("number", _NON_NEGATIVE),
    "ablated_test_accuracy": ("number", _FRACTION),
    "ablated_test_loss": ("number", _NON_NEGATIVE),
    "class_means": ("vector", None),
    "ablated_class_accuracy": ("vector", _FRACTION),
    "concept": ("text", None),
    "concept_category": ("text", None),
    "concept_iou": ("number", _FRACTION),
    "explanation": ("text", None),
    "explanation_score": ("number", (-1.0, 1.0, True)),
    "activation_frequency": ("number", _FRACTION),
    **{name: ("number", r) for name, r in _CHECKPOINT_RANGES.items()},
}
# Per-class checkpoint metrics: name -> range
_CLASS_CHECKPOINT_METRICS = {"class_accuracy": _FRACTION}
_ATTRIBUTE_RANGES = {"label_corruption": _FRACTION, "dropout": (0.0, 1.0, False)}

Number = Union[int, float, None]


class RunDocumentError(ValueError):
    """A value breaks the run-document contract.

    Attributes
    ----------
    path : str
        Where, as a JSON path of the document (``checkpoints[0].metrics.test_accuracy``).
    """

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


# --------------------------------------------------------------------------- checks

def _key(path: str, name: str) -> str:
    plain = name.replace("_", "a").replace("-", "a").isalnum() and not name[:1].isdigit()
    return f"{path}.{name}" if plain else f"{path}[{json.dumps(name, ensure_ascii=False)}]"


def _text(value: Any, path: str, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise RunDocumentError(path, f"{what} must be a string, found {_describe(value)}")
    if "\x00" in value:
        raise RunDocumentError(path, f"{what} contains U+0000, which PostgreSQL text cannot hold")
    if not 1 <= len(value) <= limit:
        raise RunDocumentError(path, f"{what} needs 1 to {limit} characters, found {len(value)}")
    return value


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (bool, np.bool_)):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {json.dumps(value[:40])}"
    if isinstance(value, numbers.Number):
        return f"the number {value!r}"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def _integer(value: Any, path: str, what: str, minimum: int) -> int:
    """An integer field: an integral number ≥ minimum (3, 3.0 and numpy integers)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise RunDocumentError(path, f"{what} must be an integer, found {_describe(value)}")
    f = float(value)
    if not math.isfinite(f) or f != math.floor(f):
        raise RunDocumentError(path, f"{what} must be an integer, found {value!r}")
    if f < minimum:
        raise RunDocumentError(path, f"{what} must be ≥ {minimum}, found {value!r}")
    return int(value)


def _number(value: Any, path: str) -> Number:
    """A number where the contract takes one: int, float, numpy number or None; NaN and
    ±Infinity are kept (NaN means undefined)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise RunDocumentError(path, f"expected a number or null, found {_describe(value)}")
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)


def _in_range(value: Number, rng: Optional[tuple], name: str, path: str) -> None:
    if rng is None or value is None or math.isnan(value):
        return
    low, high, high_included = rng
    ok = low <= value and (value <= high if high_included else value < high)
    if not ok:
        bound = "≤" if high_included else "<"
        upper = "" if math.isinf(high) else f" {bound} {high:g}"
        raise RunDocumentError(path, f"{name} must be {low:g} ≤ v{upper}, found {value!r}")


def _numbers(values: Any, path: str, name: str, rng: Optional[tuple]) -> List[Number]:
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, (Sequence, np.ndarray)):
        raise RunDocumentError(path, f"expected an array of numbers, found {_describe(values)}")
    out = []
    for i, v in enumerate(values.tolist() if isinstance(values, np.ndarray) else values):
        n = _number(v, f"{path}[{i}]")
        _in_range(n, rng, name, f"{path}[{i}]")
        out.append(n)
    return out


def _as_list(values: Any, path: str) -> list:
    if isinstance(values, np.ndarray):
        return values.tolist()
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence):
        raise RunDocumentError(path, f"expected an array, found {_describe(values)}")
    return list(values)


# --------------------------------------------------------------------------- builder

class Checkpoint:
    """One checkpoint of a :class:`RunDocument`; made by :meth:`RunDocument.checkpoint`.

    Every method checks its values at once and returns ``self``, so calls chain.
    """

    def __init__(self, document: "RunDocument", index: int, step: int):
        self._doc = document
        self._path = f"checkpoints[{index}]"
        self.step = step
        self.metrics: Dict[str, Any] = {}
        self.units: Dict[str, Dict[str, list]] = {}
        self.curves: List[Dict[str, Any]] = []
        self._curve_keys: set = set()

    # ---------------------------------------------------------------- metrics

    def metric(self, name: str, value: Any) -> "Checkpoint":
        """Add a model-level metric: a number (or None/NaN), or, for a model with
        classes, a vector of ``classes`` numbers (a per-class metric such as
        ``class_accuracy``).

        Raises
        ------
        RunDocumentError
            A repeated name, a value of the wrong type, length or range.
        """
        path = _key(self._path + ".metrics", _text(name, self._path + ".metrics", "a metric name", NAME_LIMIT))
        if name in self.metrics:
            raise RunDocumentError(path, f"metric {name} is already set")
        classes = self._doc.classes
        if isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, str):
            if classes is None:
                raise RunDocumentError(path, f"{name} is per class, and needs `classes`; this model has none")
            values = _numbers(value, path, name, _CLASS_CHECKPOINT_METRICS.get(name, _CHECKPOINT_RANGES.get(name)))
            if len(values) != classes:
                raise RunDocumentError(path, f"{len(values)} values, the model has {classes} classes")
            self.metrics[name] = values
            return self
        if name in _CLASS_CHECKPOINT_METRICS:
            raise RunDocumentError(path, f"{name} must be an array of one number per class, found {_describe(value)}")
        number = _number(value, path)
        _in_range(number, _CHECKPOINT_RANGES.get(name), name, path)
        self.metrics[name] = number
        return self

    def metrics_from(self, values: Mapping[str, Any]) -> "Checkpoint":
        """Add several model-level metrics (see :meth:`metric`)."""
        for name, value in values.items():
            self.metric(name, value)
        return self

    # ---------------------------------------------------------------- units

    def unit_metric(self, layer: str, name: str, values: Any) -> "Checkpoint":
        """Add one value per unit of a declared layer.

        ``values`` has one entry per unit (index = unit number), all of one kind:
        numbers (or None/NaN), vectors of ``classes`` numbers (per-class values such as
        ``class_means``; needs ``classes``), or labels (strings of 1–10,000 characters,
        or None for "no label"). A 1-D or 2-D numpy array works.

        Raises
        ------
        RunDocumentError
            An undeclared layer, a wrong count, a mix of kinds, a vector of the wrong
            length, a label too long, a value out of its well-known range, or a kind
            that differs from the same metric in another checkpoint.
        """
        units_path = self._path + ".units"
        if layer not in self._doc._layer_units:
            declared = ", ".join(self._doc._layer_units) or "none"
            raise RunDocumentError(_key(units_path, str(layer)),
                                   f"layer {layer} is not declared (declared: {declared}); add it with add_layer first")
        lpath = _key(units_path, layer)
        path = _key(lpath, _text(name, lpath, "a metric name", NAME_LIMIT))
        mine = self.units.setdefault(layer, {})
        if name in mine:
            raise RunDocumentError(path, f"metric {name} of layer {layer} is already set")
        n = self._doc._layer_units[layer]
        entries = _as_list(values, path)
        if len(entries) != n:
            raise RunDocumentError(path, f"{len(entries)} values, layer {layer} has {n} units")
        known_kind, rng = _UNIT_METRICS.get(name, (None, None))
        kind = None
        for i, v in enumerate(entries):
            if v is None:
                continue
            k = "text" if isinstance(v, str) else "vector" if isinstance(v, (list, tuple, np.ndarray)) else "number"
            if kind is None:
                kind = k
            elif k != kind:
                raise RunDocumentError(f"{path}[{i}]", f"{_article(k)} among {kind} values; one metric holds one kind")
        if kind is None:
            kind = self._doc._unit_kinds.get((layer, name)) or ("text" if known_kind == "text" else "number")
        if known_kind is not None and kind != known_kind:
            raise RunDocumentError(path, f"{name} must be {_kind_words(known_kind)}, found {_kind_words(kind)}")
        if kind == "vector" and self._doc.classes is None:
            raise RunDocumentError(path, f"{name} is per class, and needs `classes`; this model has none")
        out: list = []
        for i, v in enumerate(entries):
            p = f"{path}[{i}]"
            if v is None:
                out.append(None)
            elif kind == "text":
                out.append(_text(v, p, "a label", LABEL_LIMIT))
            elif kind == "vector":
                vec = _numbers(v, p, name, rng)
                if len(vec) != self._doc.classes:
                    raise RunDocumentError(p, f"{len(vec)} values, the model has {self._doc.classes} classes")
                out.append(vec)
            else:
                num = _number(v, p)
                _in_range(num, rng, name, p)
                out.append(num)
        before = self._doc._unit_kinds.get((layer, name))
        if before is not None and before != kind:
            raise RunDocumentError(path, f"{name} of layer {layer} holds {_kind_words(kind)} here "
                                         f"but {_kind_words(before)} in another checkpoint")
        self._doc._unit_kinds[(layer, name)] = kind
        mine[name] = out
        return self

    def unit_metrics(self, layer: str, values: Mapping[str, Any]) -> "Checkpoint":
        """Add several unit metrics of one layer (see :meth:`unit_metric`)."""
        for name, v in values.items():
            self.unit_metric(layer, name, v)
        return self

    # ---------------------------------------------------------------- curves

    def curve(self, perturbation: str, layers: Union[str, Sequence[str]], x: Sequence[float],
              metrics: Mapping[str, Sequence[Any]], order: Optional[str] = None,
              seed: int = 0) -> "Checkpoint":
        """Add a perturbation curve.

        Parameters
        ----------
        perturbation : {"ablation", "noise"}
        layers : "all" or sequence of declared layer names
            The perturbed layers (a set: no repeats, not empty).
        x : sequence of float
            Strictly increasing, ≥ 2 values: the fraction of units ablated (0–1), or the
            noise sd relative to each unit's activation sd (≥ 0).
        metrics : mapping
            Name → one value per x.
        order : str, optional
            Ablation only (default ``random``): ``random``, ``selectivity_desc``,
            ``selectivity_asc`` or any other string.
        seed : int, default 0

        Raises
        ------
        RunDocumentError
            For anything the contract refuses, including a repeated
            (perturbation, layers, order, seed).
        """
        path = f"{self._path}.curves[{len(self.curves)}]"
        if perturbation not in ("ablation", "noise"):
            raise RunDocumentError(path + ".perturbation",
                                   f"perturbation must be ablation or noise, found {_describe(perturbation)}")
        if isinstance(layers, str):
            if layers != "all":
                raise RunDocumentError(path + ".layers", f"layers must be \"all\" or a list of layer names, found {_describe(layers)}")
            scope: Union[str, List[str]] = "all"
        else:
            names = _as_list(layers, path + ".layers")
            if not names:
                raise RunDocumentError(path + ".layers", "an empty list of layers; name at least one, or \"all\"")
            for i, lay in enumerate(names):
                if lay not in self._doc._layer_units:
                    raise RunDocumentError(f"{path}.layers[{i}]", f"layer {lay} is not declared")
                if lay in names[:i]:
                    raise RunDocumentError(f"{path}.layers[{i}]", f"layer {lay} is repeated")
            scope = list(names)
        if perturbation == "noise" and order is not None:
            raise RunDocumentError(path + ".order", "a noise curve has no order")
        if order is not None:
            _text(order, path + ".order", "order", NAME_LIMIT)
        seed = _integer(seed, path + ".seed", "seed", 0)
        xs = _numbers(x, path + ".x", "x", None)
        if len(xs) < 2:
            raise RunDocumentError(path + ".x", f"x needs at least 2 values, found {len(xs)}")
        for i, v in enumerate(xs):
            if v is None or not math.isfinite(v):
                raise RunDocumentError(f"{path}.x[{i}]", f"x must be a finite number, found {v!r}")
            if i and v <= xs[i - 1]:
                raise RunDocumentError(f"{path}.x[{i}]", f"x must be strictly increasing: {v!r} follows {xs[i - 1]!r}")
            if perturbation == "ablation" and not 0 <= v <= 1:
                raise RunDocumentError(f"{path}.x[{i}]", f"ablation x is a fraction of units, 0 ≤ x ≤ 1, found {v!r}")
            if perturbation == "noise" and v < 0:
                raise RunDocumentError(f"{path}.x[{i}]", f"noise x must be ≥ 0, found {v!r}")
        if not isinstance(metrics, Mapping) or not metrics:
            raise RunDocumentError(path + ".metrics", "a curve needs metrics: name → one value per x")
        ys: Dict[str, List[Number]] = {}
        for name, values in metrics.items():
            mpath = _key(path + ".metrics", _text(name, path + ".metrics", "a metric name", NAME_LIMIT))
            ys[name] = _numbers(values, mpath, name, _CHECKPOINT_RANGES.get(name))
            if len(ys[name]) != len(xs):
                raise RunDocumentError(mpath, f"{len(ys[name])} values, x has {len(xs)}")
        scope_key = "all" if scope == "all" or set(scope) == set(self._doc._layer_units) else frozenset(scope)
        key = (perturbation, scope_key, (order or "random") if perturbation == "ablation" else None, seed)
        if key in self._curve_keys:
            raise RunDocumentError(path, f"a {perturbation} curve with these layers, order and seed is already in this checkpoint")
        self._curve_keys.add(key)
        curve: Dict[str, Any] = {"perturbation": perturbation, "layers": scope}
        if order is not None:
            curve["order"] = order
        curve.update({"seed": seed, "x": xs, "metrics": ys})
        self.curves.append(curve)
        return self

    def to_dict(self) -> Dict[str, Any]:
        """The checkpoint as plain JSON values (empty parts left out)."""
        out: Dict[str, Any] = {"step": self.step}
        if self.metrics:
            out["metrics"] = dict(self.metrics)
        units = {layer: dict(m) for layer, m in self.units.items() if m}
        if units:
            out["units"] = units
        if self.curves:
            out["curves"] = list(self.curves)
        return out


def _article(kind: str) -> str:
    return {"text": "a label", "vector": "a vector", "number": "a number"}[kind]


def _kind_words(kind: str) -> str:
    return {"text": "labels (text)", "vector": "per-class vectors", "number": "numbers"}[kind]


class RunDocument:
    """A run document under construction: one trained model, its layers and checkpoints.

    Parameters
    ----------
    experiment : str
        Groups models; 1–200 characters.
    model : str
        The model's name within the experiment; 1–200 characters.
    classes : int, optional
        Number of classes (≥ 2); leave out for a model without classes (a language
        model's neurons, a sparse autoencoder's features).
    attributes : mapping, optional
        Name → number, boolean, string or None (``label_corruption``, ``batch_norm``,
        ``dropout``, ``architecture``, ``dataset``, ``seed``, … ).

    Examples
    --------
    >>> doc = RunDocument("digits", "mlp-seed0", classes=10, attributes={"seed": 0})
    >>> doc.add_layer("fc1", units=64, kind="dense")           # doctest: +ELLIPSIS
    <lesion.document.RunDocument object at ...>
    >>> ck = doc.checkpoint(1000).metric("test_accuracy", 0.95)
    >>> doc.write("run.json")                                   # doctest: +SKIP
    """

    def __init__(self, experiment: str, model: str, classes: Optional[int] = None,
                 attributes: Optional[Mapping[str, Any]] = None):
        self.experiment = _text(experiment, "experiment", "experiment", NAME_LIMIT)
        self.model = _text(model, "model", "model", NAME_LIMIT)
        self.classes = None if classes is None else _integer(classes, "classes", "classes", 2)
        self.attributes: Dict[str, Any] = {}
        self.layers: List[Dict[str, Any]] = []
        self._layer_units: Dict[str, int] = {}
        self._unit_kinds: Dict[tuple, str] = {}
        self.checkpoints: List[Checkpoint] = []
        for name, value in (attributes or {}).items():
            self.attribute(name, value)

    def attribute(self, name: str, value: Any) -> "RunDocument":
        """Set one attribute (number, boolean, string or None); well-known names are checked."""
        path = _key("attributes", _text(name, "attributes", "an attribute name", ATTRIBUTE_NAME_LIMIT))
        if name in self.attributes:
            raise RunDocumentError(path, f"attribute {name} is already set")
        if isinstance(value, np.generic):
            value = value.item()
        if value is None or isinstance(value, bool):
            pass
        elif isinstance(value, str):
            if "\x00" in value:
                raise RunDocumentError(path, "the value contains U+0000, which PostgreSQL text cannot hold")
        elif isinstance(value, numbers.Real):
            value = _number(value, path)
        else:
            raise RunDocumentError(path, f"an attribute is a number, boolean, string or null, found {_describe(value)}")
        if name == "batch_norm" and not (value is None or isinstance(value, bool)):
            raise RunDocumentError(path, f"batch_norm must be true, false or null, found {_describe(value)}")
        if name in _ATTRIBUTE_RANGES and value is not None:
            if isinstance(value, (bool, str)):
                raise RunDocumentError(path, f"{name} must be a number or null, found {_describe(value)}")
            if isinstance(value, float) and math.isnan(value):
                raise RunDocumentError(path, f"{name} must be a number or null, found NaN")
            _in_range(value, _ATTRIBUTE_RANGES[name], name, path)
        self.attributes[name] = value
        return self

    def add_layer(self, name: str, units: int, kind: Optional[str] = None) -> "RunDocument":
        """Declare the next layer, in depth order (first = closest to the input).

        Parameters
        ----------
        name : str
            Unique within the document; 1–200 characters.
        units : int
            ≥ 1.
        kind : str, optional
            E.g. ``dense`` or ``conv``.
        """
        path = f"layers[{len(self.layers)}]"
        _text(name, path + ".name", "a layer name", NAME_LIMIT)
        if name in self._layer_units:
            raise RunDocumentError(path + ".name", f"layer {name} is already declared")
        n = _integer(units, path + ".units", "units", 1)
        layer: Dict[str, Any] = {"name": name, "units": n}
        if kind is not None:
            layer["kind"] = _text(kind, path + ".kind", "kind", NAME_LIMIT)
        self.layers.append(layer)
        self._layer_units[name] = n
        return self

    def checkpoint(self, step: int, metrics: Optional[Mapping[str, Any]] = None) -> Checkpoint:
        """Start a checkpoint; ``step`` is an integer ≥ 0, unique within the document."""
        path = f"checkpoints[{len(self.checkpoints)}].step"
        s = _integer(step, path, "step", 0)
        if any(c.step == s for c in self.checkpoints):
            raise RunDocumentError(path, f"step {s} is already in this document")
        ck = Checkpoint(self, len(self.checkpoints), s)
        self.checkpoints.append(ck)
        if metrics:
            ck.metrics_from(metrics)
        return ck

    # ---------------------------------------------------------------- output

    def to_dict(self) -> Dict[str, Any]:
        """The document as plain JSON values.

        Raises
        ------
        RunDocumentError
            When it has no layer or no checkpoint (the contract needs ≥ 1 of each).
        """
        if not self.layers:
            raise RunDocumentError("layers", "a document needs at least one layer; add one with add_layer")
        if not self.checkpoints:
            raise RunDocumentError("checkpoints", "a document needs at least one checkpoint; add one with checkpoint")
        out: Dict[str, Any] = {"format": FORMAT, "experiment": self.experiment, "model": self.model}
        if self.attributes:
            out["attributes"] = dict(self.attributes)
        if self.classes is not None:
            out["classes"] = self.classes
        out["layers"] = [dict(layer) for layer in self.layers]
        out["checkpoints"] = [c.to_dict() for c in self.checkpoints]
        return out

    def to_json(self, indent: Optional[int] = None) -> str:
        """JSON text; ``NaN`` and ``±Infinity`` as the bare tokens lesion reads."""
        return dumps(self, indent=indent)

    def write(self, path: Union[str, os.PathLike]) -> None:
        """Write to ``*.json`` (indented), ``*.jsonl`` (one line), or either ``.gz``."""
        write([self], path)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RunDocument":
        """Build (and so check) a document from plain JSON values, e.g. ``json.load``'s.

        Raises
        ------
        RunDocumentError
            For an unknown key or anything :class:`RunDocument` refuses.
        """
        _known(data, "", {"format", "experiment", "model", "attributes", "classes", "layers", "checkpoints"})
        if data.get("format") != FORMAT:
            raise RunDocumentError("format", f"format must be {FORMAT}, found {_describe(data.get('format'))}")
        for required in ("experiment", "model", "layers", "checkpoints"):
            if required not in data:
                raise RunDocumentError(required, f"{required} is missing")
        doc = cls(data["experiment"], data["model"], data.get("classes"), data.get("attributes") or {})
        for i, layer in enumerate(_as_list(data["layers"], "layers")):
            _known(layer, f"layers[{i}]", {"name", "units", "kind"})
            doc.add_layer(layer.get("name"), layer.get("units"), layer.get("kind"))
        for i, c in enumerate(_as_list(data["checkpoints"], "checkpoints")):
            _known(c, f"checkpoints[{i}]", {"step", "metrics", "units", "curves"})
            ck = doc.checkpoint(c.get("step"), c.get("metrics") or {})
            for layer, metrics in (c.get("units") or {}).items():
                ck.unit_metrics(layer, metrics)
            for j, cv in enumerate(c.get("curves") or []):
                _known(cv, f"checkpoints[{i}].curves[{j}]", {"perturbation", "layers", "order", "seed", "x", "metrics"})
                ck.curve(cv.get("perturbation"), cv.get("layers"), cv.get("x"), cv.get("metrics"),
                         cv.get("order"), cv.get("seed", 0))
        return doc


def _known(obj: Any, path: str, keys: set) -> None:
    if not isinstance(obj, Mapping):
        raise RunDocumentError(path, f"expected an object, found {_describe(obj)}")
    for k in obj:
        if k not in keys:
            raise RunDocumentError(_key(path, k) if path else k, f"unknown key {k!r} (known: {', '.join(sorted(keys))})")


def dumps(document: Union[RunDocument, Mapping[str, Any]], indent: Optional[int] = None) -> str:
    """One document as JSON text (compact, or indented with ``indent``)."""
    data = document.to_dict() if isinstance(document, RunDocument) else document
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(data, indent=indent, separators=separators, allow_nan=True, ensure_ascii=False)


def write(documents: Iterable[RunDocument], path: Union[str, os.PathLike]) -> None:
    """Write documents to a file whose name says the layout.

    ``*.json`` holds exactly one document (indented); ``*.jsonl`` one per line; a
    further ``.gz`` compresses either (no name, mtime 0: the same bytes each time).
    The file is written whole to a temporary name, then renamed.

    Raises
    ------
    ValueError
        For another suffix, or several documents for a ``.json`` file.
    """
    name = os.fspath(path)
    base = name[:-3] if name.endswith(".gz") else name
    docs = list(documents)
    if base.endswith(".jsonl"):
        text = "".join(dumps(d) + "\n" for d in docs)
    elif base.endswith(".json"):
        if len(docs) != 1:
            raise ValueError(f"{name}: a .json file holds exactly one document, given {len(docs)}; use .jsonl")
        text = dumps(docs[0], indent=1) + "\n"
    else:
        raise ValueError(f"{name}: name the file *.json, *.jsonl, *.json.gz or *.jsonl.gz")
    data = text.encode("utf-8")
    if name.endswith(".gz"):
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as gz:
            gz.write(data)
        data = buffer.getvalue()
    tmp = name + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, name)
