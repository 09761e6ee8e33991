"""Probing a PyTorch classifier: ``probe(model, layers, train_loader, test_loader)``.

Forward hooks on the named modules read their outputs (the units), set units to 0
(ablation) or add Gaussian noise; everything measured is :mod:`lesion.measure`'s.
A unit is one output feature of a module: a neuron of a dense layer's output, or a
whole channel (feature map) of a conv layer's output, ablated at every position.
Name the modules whose outputs are the units you mean, usually the ReLUs after each
layer, as in Morcos et al. (2018).

Needs PyTorch (``pip install ./python[torch]``); ``import lesion`` does not.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence,
                    Tuple, Union)

import numpy as np
import torch

from . import measure
from .document import RunDocument

__all__ = ["probe", "ABLATION_X", "NOISE_X"]

ABLATION_X = tuple(k / 8 for k in range(9))
"""Default ablation fractions: 0, 1/8, …, 1."""

NOISE_X = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
"""Default noise levels, in units of each unit's activation sd over the training set."""

Loader = Union[Iterable[Tuple[Any, Any]], Tuple[Any, Any]]


# --------------------------------------------------------------------------- progress

class _Progress:
    """tqdm when installed, else one plain line on stderr per tenth of the work."""

    def __init__(self, total: int, desc: str, enabled: bool):
        self.total, self.desc, self.done, self.shown = total, desc, 0, -1
        self.bar = None
        if not enabled or total <= 0:
            self.total = 0
            return
        try:
            from tqdm.auto import tqdm
            self.bar = tqdm(total=total, desc=desc, file=sys.stderr, leave=False)
        except ImportError:
            self.bar = None

    def __call__(self, n: int) -> None:
        if not self.total:
            return
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        tenth = self.done * 10 // self.total
        if tenth > self.shown:
            self.shown = tenth
            print(f"lesion.probe: {self.desc} {self.done}/{self.total}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --------------------------------------------------------------------------- data

def _materialise(loader: Loader, what: str) -> Tuple[torch.Tensor, np.ndarray]:
    """All inputs and labels of a loader (or an ``(inputs, labels)`` pair) at once."""
    if isinstance(loader, tuple) and len(loader) == 2 and hasattr(loader[0], "shape"):
        batches: Iterable[Tuple[Any, Any]] = [loader]
    else:
        batches = loader
    xs, ys = [], []
    for i, batch in enumerate(batches):
        if not isinstance(batch, (tuple, list)) or len(batch) < 2:
            raise ValueError(f"{what}: batch {i} is not an (inputs, labels) pair")
        xs.append(torch.as_tensor(batch[0]))
        ys.append(np.asarray(torch.as_tensor(batch[1]).cpu()).astype(np.int64).reshape(-1))
    if not xs:
        raise ValueError(f"{what}: no batches")
    return torch.cat(xs), np.concatenate(ys)


def _units_last(t: torch.Tensor) -> torch.Tensor:
    """(n, units, positions…) → (n, positions…, units): lesion.measure's layout."""
    return t if t.dim() <= 2 else t.permute(0, *range(2, t.dim()), 1)


def _units_second(a: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`_units_last`."""
    return a if a.dim() <= 2 else a.permute(0, a.dim() - 1, *range(1, a.dim() - 1))


# --------------------------------------------------------------------------- hooks

class _Hooks:
    """Forward hooks on the probed modules. ``mode`` says what they do on the next pass:
    capture outputs, ablate per replica of the batch, or add given noise."""

    def __init__(self, modules: Mapping[str, torch.nn.Module]):
        self.modules = modules
        self.mode = "off"
        self.captured: Dict[str, List[np.ndarray]] = {}
        self.masks: Dict[str, torch.Tensor] = {}      # layer -> (replicas, units) bool, True = keep
        self.noise: Dict[str, torch.Tensor] = {}      # layer -> noise, units second, this chunk
        self.calls: Dict[str, int] = {}
        self.handles: List[Any] = []
        self.rows = 0            # rows of the input chunk: the first ablated layer that
        self.expand = False      # sees that many replicates its output (see _Runner.ablated)

    def install(self) -> None:
        for name, module in self.modules.items():
            self.handles.append(module.register_forward_hook(self._hook(name)))

    def remove(self) -> None:
        for h in self.handles:
            h.remove()
        self.handles = []

    def _hook(self, name: str) -> Callable[..., Optional[torch.Tensor]]:
        def hook(module: torch.nn.Module, inputs: Any, output: Any) -> Optional[torch.Tensor]:
            if not isinstance(output, torch.Tensor):
                raise TypeError(f"layer {name}: its module returns {type(output).__name__}, not a tensor; "
                                "name a module whose output is the units")
            self.calls[name] = self.calls.get(name, 0) + 1
            if self.mode == "capture":
                self.captured.setdefault(name, []).append(_units_last(output.detach()).cpu().numpy())
                return None
            if self.mode == "ablate" and name in self.masks:
                keep = self.masks[name]
                replicas = keep.shape[0]
                if self.expand and replicas > 1 and output.shape[0] == self.rows:
                    output = output.repeat(replicas, *([1] * (output.dim() - 1)))
                shaped = output.reshape(replicas, output.shape[0] // replicas, *output.shape[1:])
                view = keep.reshape(replicas, 1, keep.shape[1], *([1] * (output.dim() - 2)))
                return torch.where(view, shaped, torch.zeros((), dtype=output.dtype, device=output.device)
                                   ).reshape(output.shape)
            if self.mode == "noise" and name in self.noise:
                return output + self.noise[name]
            return None
        return hook


@contextmanager
def _probing(model: torch.nn.Module, hooks: _Hooks) -> Iterator[None]:
    """Eval mode and no_grad while probing; every module's mode and the hooks are
    restored afterwards, also when an exception is raised."""
    modes = {m: m.training for m in model.modules()}
    hooks.install()
    try:
        model.eval()
        with torch.no_grad():
            yield
    finally:
        hooks.remove()
        for m, training in modes.items():
            m.train(training)


# --------------------------------------------------------------------------- probe

class _Runner:
    """Runs the model over a split in chunks, `replicas` perturbations per forward pass."""

    def __init__(self, model: torch.nn.Module, hooks: _Hooks, layers: Mapping[str, str],
                 data: Mapping[str, Tuple[torch.Tensor, np.ndarray]], device: torch.device,
                 dtype: Optional[torch.dtype], max_rows: int):
        self.model, self.hooks, self.layers = model, hooks, layers
        self.data, self.device, self.dtype, self.max_rows = data, device, dtype, max_rows

    def _inputs(self, split: str) -> torch.Tensor:
        x = self.data[split][0]
        if self.dtype is not None and x.is_floating_point():
            x = x.to(self.dtype)
        return x

    def _chunk(self, n: int) -> int:
        return max(1, min(n, self.max_rows))

    def replicas(self, split: str) -> int:
        """How many perturbations one forward pass evaluates on ``split``."""
        n = len(self.data[split][1])
        return max(1, self.max_rows // self._chunk(n))

    def _forward(self, x: torch.Tensor) -> torch.Tensor:
        self.hooks.calls = {}
        out = self.model(x.to(self.device))
        if not isinstance(out, torch.Tensor) or out.dim() != 2:
            raise TypeError("the model must return logits, a (batch, classes) tensor")
        for doc_name, module_name in self.layers.items():
            calls = self.hooks.calls.get(module_name, 0)
            if calls != 1:
                raise ValueError(f"layer {doc_name}: module {module_name} ran {calls} times in one forward pass; "
                                 "name a module that runs exactly once")
        return out

    def capture(self, split: str) -> Tuple[np.ndarray, Dict[str, np.ndarray]]:
        """Unperturbed logits and each layer's activations (units last)."""
        x = self._inputs(split)
        self.hooks.mode, self.hooks.captured = "capture", {}
        try:
            step = self._chunk(len(x))
            logits = [self._forward(x[s:s + step]).float().cpu().numpy() for s in range(0, len(x), step)]
            acts = {d: np.concatenate(self.hooks.captured[m]) for d, m in self.layers.items()}
        finally:
            self.hooks.mode, self.hooks.captured = "off", {}
        return np.concatenate(logits), acts

    def ablated(self, split: str, ablations: Sequence[measure.Ablation]) -> List[np.ndarray]:
        """lesion.measure's evaluate callback: logits under each ablation, batched."""
        x = self._inputs(split)
        n, r = len(x), len(ablations)
        step = self._chunk(n)
        masks: Dict[str, torch.Tensor] = {}
        for d, m in self.layers.items():
            if any(d in ab for ab in ablations):
                keep = torch.ones((r, self.units[d]), dtype=torch.bool)
                for j, ab in enumerate(ablations):
                    if d in ab:
                        keep[j, torch.as_tensor(np.asarray(ab[d], dtype=np.int64))] = False
                masks[m] = keep.to(self.device)
        self.hooks.mode, self.hooks.masks = "ablate", masks
        try:
            parts = []
            for s in range(0, n, step):
                parts.append(self._ablated_chunk(x[s:s + step], r, bool(masks)))
        finally:
            self.hooks.mode, self.hooks.masks, self.hooks.expand = "off", {}, False
        logits = np.concatenate(parts, axis=1)
        return [logits[j] for j in range(r)]

    expand_works = True
    """Whether replicating at the first ablated layer works for this model (see below)."""

    def _ablated_chunk(self, xc: torch.Tensor, r: int, masked: bool) -> np.ndarray:
        """Logits of one input chunk under r ablations, shape (r, rows, classes).

        The layers before the first ablated one compute the same for every ablation, so
        the chunk goes in once and the first ablated layer's hook replicates its output
        r times. That needs the rest of the model to treat rows independently; where it
        does not (a skip connection from before that layer, a reshape by the input's
        batch size), shapes disagree, and the inputs are replicated instead."""
        if not masked:
            return np.repeat(self._forward(xc).float().cpu().numpy()[None], r, axis=0)
        if self.expand_works and r > 1:
            self.hooks.expand, self.hooks.rows = True, len(xc)
            try:
                out = self._forward(xc)
                if out.shape[0] == r * len(xc):
                    return out.float().cpu().numpy().reshape(r, len(xc), -1)
            except RuntimeError:
                pass
            finally:
                self.hooks.expand = False
            self.expand_works = False
        out = self._forward(xc.repeat(r, *([1] * (xc.dim() - 1))))
        return out.float().cpu().numpy().reshape(r, len(xc), -1)

    def noised(self, split: str, noise: measure.Noise, rng: np.random.Generator) -> np.ndarray:
        """lesion.measure's evaluate callback: logits with noise added, drawn for the
        whole split layer by layer in depth order (so chunking does not change it)."""
        x = self._inputs(split)
        drawn = {d: torch.from_numpy(measure.noise_like(self.shapes[split][d], np.asarray(noise[d]), rng))
                 for d in self.layers if d in noise}
        step = self._chunk(len(x))
        self.hooks.mode = "noise"
        try:
            parts = []
            for s in range(0, len(x), step):
                self.hooks.noise = {self.layers[d]: _units_second(v[s:s + step]).to(self.device, self.out_dtype)
                                    for d, v in drawn.items()}
                parts.append(self._forward(x[s:s + step]).float().cpu().numpy())
        finally:
            self.hooks.mode, self.hooks.noise = "off", {}
        return np.concatenate(parts)

    units: Dict[str, int]
    shapes: Dict[str, Dict[str, Tuple[int, ...]]]
    out_dtype: torch.dtype


def probe(model: torch.nn.Module, layers: Union[Sequence[str], Mapping[str, str]],
          train_loader: Loader, test_loader: Loader, *,
          experiment: str = "pytorch", name: str = "model", step: int = 0,
          attributes: Optional[Mapping[str, Any]] = None, classes: Optional[int] = None,
          selectivity_loader: Optional[Loader] = None,
          single_units: bool = True, per_class: bool = True, class_accuracy: bool = False,
          ablation_x: Sequence[float] = ABLATION_X, orders: Sequence[str] = measure.ORDERS,
          random_seeds: Sequence[int] = (0, 1, 2), noise_x: Optional[Sequence[float]] = NOISE_X,
          noise_seeds: Sequence[int] = (0,), layer_curves: bool = False, seed: int = 0,
          mi_bins: int = 10, max_rows: int = 65536, progress: bool = True,
          document: Optional[RunDocument] = None) -> RunDocument:
    """Measure a trained PyTorch classifier as Morcos et al. (2018) did.

    In eval mode and ``torch.no_grad()`` (every module's mode and all hooks are
    restored afterwards, also on an exception), it measures per unit of each named
    module: class means, class selectivity and mutual information (on the test set,
    or ``selectivity_loader``), and the test accuracy, loss and per-class accuracy
    with that unit alone ablated; per model: cumulative ablation curves and Gaussian
    noise curves (train and test accuracy and loss).

    Parameters
    ----------
    model : torch.nn.Module
        Returns logits, ``(batch, classes)``.
    layers : sequence of str, or mapping
        Module names (as in ``model.named_modules()``) whose outputs are the units, in
        depth order; or a mapping layer name in the document → module name. A unit
        is an output feature: a channel for a conv output ``(batch, channels, …)``.
    train_loader, test_loader : iterable of (inputs, labels), or an (inputs, labels) pair
        The training set (with the labels the model was trained on) and the test set.
        Each is read once and held in memory.
    experiment, name : str
        The document's experiment and model name.
    step : int, default 0
        The checkpoint's step.
    attributes : mapping, optional
        The model's attributes (``label_corruption``, ``batch_norm``, ``dropout``, …).
    classes : int, optional
        Default: the width of the model's output.
    selectivity_loader : loader, optional
        Where class means, selectivity and mutual information are measured
        (default: the test set, as in the reference experiment).
    single_units : bool, default True
        Ablate each unit alone (``ablated_test_accuracy``, ``ablated_test_loss``).
    per_class : bool, default True
        Also ``ablated_class_accuracy`` per unit.
    class_accuracy : bool, default False
        Also the baseline per-class test accuracy ``class_accuracy`` of the checkpoint,
        a per-class checkpoint metric of the format's turn-2 additions: only a `lesion`
        that reads those accepts it.
    ablation_x : sequence of float
        Fractions of the scope's units ablated; starts at 0. Empty: no ablation curves.
    orders : sequence of str
        Ablation orders (``random``, ``selectivity_desc``, ``selectivity_asc``).
    random_seeds : sequence of int
        One ``random`` curve per seed; the order of seed s over scope k is
        ``numpy.random.default_rng([seed, s, k, 2]).permutation``.
    noise_x : sequence of float, optional
        Noise levels (sd relative to each unit's sd over the training set); starts at 0.
        None or empty: no noise curves.
    noise_seeds : sequence of int
        One noise curve per seed, drawn from ``default_rng([seed, s, k, 3])``.
    layer_curves : bool, default False
        Curves per single layer as well as over all layers.
    seed : int, default 0
        Mixed into every random order and noise draw.
    mi_bins : int, default 10
        Bins of the mutual-information estimate.
    max_rows : int, default 65536
        Rows per forward pass: a pass evaluates ``max_rows // split size``
        perturbations at once (the batched evaluation that makes ablating every unit fast).
    progress : bool, default True
        A progress bar on stderr (tqdm if installed, else plain lines).
    document : RunDocument, optional
        Add the checkpoint to this document (same layers) instead of a new one.

    Returns
    -------
    RunDocument
        One checkpoint at ``step``; write it with ``.write`` or send it with
        :func:`lesion.ingest`.
    """
    layer_map = dict(layers) if isinstance(layers, Mapping) else {str(m): str(m) for m in layers}
    if not layer_map:
        raise ValueError("name at least one layer (a module of model.named_modules())")
    named = dict(model.named_modules())
    for d, m in layer_map.items():
        if m not in named:
            near = [n for n in named if n and (m in n or n in m)][:5]
            raise ValueError(f"layer {d}: model has no module named {m!r}"
                             + (f" (did you mean {', '.join(near)}?)" if near else "")
                             + "; see model.named_modules()")
    try:
        parameter = next(model.parameters())
        device, dtype = parameter.device, parameter.dtype
    except StopIteration:
        device, dtype = torch.device("cpu"), None
    data = {"train": _materialise(train_loader, "train_loader"),
            "test": _materialise(test_loader, "test_loader")}
    if selectivity_loader is not None:
        data["selectivity"] = _materialise(selectivity_loader, "selectivity_loader")
    hooks = _Hooks({m: named[m] for m in layer_map.values()})
    runner = _Runner(model, hooks, layer_map, data, device, dtype, max_rows)
    with _probing(model, hooks):
        return _measure(runner, layer_map, data, experiment, name, step, attributes, classes,
                        single_units, per_class, class_accuracy, ablation_x, orders, random_seeds, noise_x or (),
                        noise_seeds, layer_curves, seed, mi_bins, progress, document)


def _measure(runner: _Runner, layer_map: Mapping[str, str], data: Mapping[str, Tuple[torch.Tensor, np.ndarray]],
             experiment: str, name: str, step: int, attributes: Optional[Mapping[str, Any]],
             classes: Optional[int], single_units: bool, per_class: bool, class_accuracy: bool,
             ablation_x: Sequence[float],
             orders: Sequence[str], random_seeds: Sequence[int], noise_x: Sequence[float],
             noise_seeds: Sequence[int], layer_curves: bool, seed: int, mi_bins: int, progress: bool,
             document: Optional[RunDocument]) -> RunDocument:
    labels = {s: data[s][1] for s in ("train", "test")}
    base: Dict[str, float] = {}
    acts: Dict[str, Dict[str, np.ndarray]] = {}
    test_logits = None
    for split in data:
        logits, acts[split] = runner.capture(split)
        if split in labels:
            base[f"{split}_accuracy"], base[f"{split}_loss"] = measure.logit_metrics(logits, labels[split])
        if split == "test":
            test_logits = logits
    assert test_logits is not None
    k = classes if classes is not None else int(test_logits.shape[1])
    runner.units = {d: int(a.shape[-1]) for d, a in acts["test"].items()}
    runner.shapes = {s: {d: a.shape for d, a in acts[s].items()} for s in acts}
    runner.out_dtype = torch.float32 if runner.dtype is None else runner.dtype

    doc = document if document is not None else RunDocument(experiment, name, classes=k, attributes=attributes)
    if document is None:
        for d, a in acts["test"].items():
            doc.add_layer(d, units=int(a.shape[-1]), kind="conv" if a.ndim > 2 else "dense")
    metrics: Dict[str, Any] = {"train_accuracy": base["train_accuracy"], "train_loss": base["train_loss"],
                               "test_accuracy": base["test_accuracy"], "test_loss": base["test_loss"]}
    if class_accuracy:
        metrics["class_accuracy"] = measure.class_accuracy(test_logits, labels["test"], k)
    ck = doc.checkpoint(step, metrics)

    sel_split = "selectivity" if "selectivity" in data else "test"
    sel_labels = data[sel_split][1]
    selectivity: Dict[str, np.ndarray] = {}
    total_units = sum(runner.units.values())
    bar = _Progress(total_units, "units", progress)
    try:
        for d in layer_map:
            activity = measure.unit_activity(acts[sel_split][d])
            means = measure.class_means(activity, sel_labels, k)
            selectivity[d] = measure.class_selectivity(means)
            values: Dict[str, Any] = {
                "class_selectivity": selectivity[d],
                "mutual_information": [measure.mutual_information(activity[:, u], sel_labels, k, mi_bins)
                                       for u in range(activity.shape[1])],
                "class_means": means,
            }
            if single_units:
                values.update(measure.single_unit_ablation(
                    runner.ablated, d, runner.units[d], labels["test"], k, per_class=per_class,
                    batch=runner.replicas("test"), progress=bar))
            ck.unit_metrics(d, values)
    finally:
        bar.close()

    scopes: List[Tuple[Union[str, List[str]], List[str]]] = [("all", list(layer_map))]
    if layer_curves and len(layer_map) > 1:
        scopes += [([d], [d]) for d in layer_map]
    n_curves = len(scopes) * ((len(orders) - ("random" in orders) + len(random_seeds) * ("random" in orders))
                              * (len(ablation_x) > 1) + len(noise_seeds) * (len(noise_x) > 1))
    bar = _Progress(n_curves, "curves", progress)
    try:
        for index, (scope_layers, ds) in enumerate(scopes):
            if len(ablation_x) > 1:
                for c in measure.ablation_curves(
                        runner.ablated, [(d, runner.units[d]) for d in ds], labels, base, ablation_x,
                        selectivity=np.concatenate([selectivity[d] for d in ds]), orders=orders,
                        random_seeds=random_seeds,
                        rng_for=lambda s: np.random.default_rng([seed, s, index, 2]),
                        batch=min(runner.replicas("train"), runner.replicas("test")), progress=bar):
                    ck.curve("ablation", scope_layers, c["x"], c["metrics"], order=c["order"], seed=c["seed"])
            if len(noise_x) > 1:
                sd = {d: measure.unit_sd(acts["train"][d]) for d in ds}
                for c in measure.noise_curves(
                        runner.noised, sd, labels, base, noise_x, seeds=noise_seeds,
                        rng_for=lambda s: np.random.default_rng([seed, s, index, 3]), progress=bar):
                    ck.curve("noise", scope_layers, c["x"], c["metrics"], seed=c["seed"])
    finally:
        bar.close()
    return doc
