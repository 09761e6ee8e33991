"""RunDocument: errors name the place as values are added; files read back as written."""

import gzip
import json
import math

import numpy as np
import pytest

import lesion
from lesion import RunDocument, RunDocumentError


def two_layer(classes=3):
    doc = RunDocument("exp", "m0", classes=classes, attributes={"seed": 1, "batch_norm": False, "dropout": 0.0})
    doc.add_layer("fc1", units=4, kind="dense").add_layer("fc2", units=2)
    return doc


def refused(fn, path, words):
    with pytest.raises(RunDocumentError) as e:
        fn()
    assert e.value.path == path, str(e.value)
    assert str(e.value).startswith(path + ": ")
    for w in words:
        assert w in str(e.value), str(e.value)


def test_wrong_lengths_name_the_place():
    ck = two_layer().checkpoint(100)
    refused(lambda: ck.unit_metric("fc1", "class_selectivity", [0.1, 0.2, 0.3]),
            "checkpoints[0].units.fc1.class_selectivity", ["3 values", "layer fc1 has 4 units"])
    refused(lambda: ck.unit_metric("fc2", "class_means", [[0.1, 0.2, 0.3], [0.1, 0.2]]),
            "checkpoints[0].units.fc2.class_means[1]", ["2 values", "3 classes"])
    refused(lambda: ck.metric("class_accuracy", [0.5, 0.5]),
            "checkpoints[0].metrics.class_accuracy", ["2 values", "3 classes"])
    refused(lambda: ck.curve("ablation", "all", [0.0, 0.5, 1.0], {"test_accuracy": [0.9, 0.5]}),
            "checkpoints[0].curves[0].metrics.test_accuracy", ["2 values", "x has 3"])


def test_nan_where_an_integer_is_needed_names_the_place():
    doc = two_layer()
    refused(lambda: doc.add_layer("fc3", units=float("nan")), "layers[2].units", ["integer", "nan"])
    refused(lambda: doc.checkpoint(float("nan")), "checkpoints[0].step", ["integer"])
    refused(lambda: doc.checkpoint(2.5), "checkpoints[0].step", ["integer", "2.5"])
    refused(lambda: doc.checkpoint(-1), "checkpoints[0].step", ["≥ 0"])
    refused(lambda: RunDocument("e", "m", classes=np.float64("nan")), "classes", ["integer"])
    refused(lambda: RunDocument("e", "m", classes=True), "classes", ["integer", "boolean"])
    ck = doc.checkpoint(np.int64(7))
    refused(lambda: ck.curve("ablation", ["fc1"], [0, 1], {"test_loss": [1, 2]}, seed=math.nan),
            "checkpoints[0].curves[0].seed", ["integer"])
    assert doc.checkpoint(3.0).step == 3   # an integral float is an integer


def test_an_undeclared_layer_names_the_place():
    ck = two_layer().checkpoint(0)
    refused(lambda: ck.unit_metric("conv9", "class_selectivity", [0.1]),
            "checkpoints[0].units.conv9", ["conv9 is not declared", "fc1, fc2"])
    refused(lambda: ck.curve("noise", ["fc1", "conv9"], [0, 1], {"test_loss": [1, 2]}),
            "checkpoints[0].curves[0].layers[1]", ["conv9 is not declared"])


def test_contract_rules_are_checked_when_added():
    doc = two_layer()
    ck = doc.checkpoint(5)
    refused(lambda: ck.metric("test_accuracy", 1.5), "checkpoints[0].metrics.test_accuracy", ["0 ≤ v ≤ 1"])
    refused(lambda: ck.unit_metric("fc1", "ablated_test_accuracy", [0.1, 0.2, -0.1, 0.3]),
            "checkpoints[0].units.fc1.ablated_test_accuracy[2]", ["0 ≤ v ≤ 1"])
    refused(lambda: ck.unit_metric("fc1", "concept", [1, 2, 3, 4]),
            "checkpoints[0].units.fc1.concept", ["labels (text)"])
    refused(lambda: ck.unit_metric("fc1", "label", ["a", None, 3, "b"]),
            "checkpoints[0].units.fc1.label[2]", ["a number among text"])
    refused(lambda: ck.unit_metric("fc1", "label", ["a", "", None, "b"]),
            "checkpoints[0].units.fc1.label[1]", ["1 to 10000"])
    refused(lambda: ck.unit_metric("fc1", "label", ["a", "x\x00", None, "b"]),
            "checkpoints[0].units.fc1.label[1]", ["U+0000"])
    refused(lambda: ck.unit_metric("fc1", "label", ["a" * 10001, None, None, None]),
            "checkpoints[0].units.fc1.label[0]", ["10001"])
    refused(lambda: ck.curve("noise", "all", [0, 1], {"test_loss": [1, 2]}, order="random"),
            "checkpoints[0].curves[0].order", ["no order"])
    refused(lambda: ck.curve("ablation", "all", [0, 0.5, 0.5], {"test_loss": [1, 2, 3]}),
            "checkpoints[0].curves[0].x[2]", ["strictly increasing"])
    ck.curve("ablation", ["fc2", "fc1"], [0, 1], {"test_loss": [1, 2]})
    refused(lambda: ck.curve("ablation", "all", [0, 1], {"test_loss": [1, 2]}, order="random"),
            "checkpoints[0].curves[1]", ["already"])
    refused(lambda: doc.attribute("dropout2", {"a": 1}), "attributes.dropout2", ["number, boolean, string or null"])
    refused(lambda: RunDocument("e", "m", attributes={"label_corruption": 1.2}),
            "attributes.label_corruption", ["0 ≤ v ≤ 1"])
    refused(lambda: RunDocument("e", "m", attributes={"batch_norm": 1}), "attributes.batch_norm", ["true, false"])
    ck.unit_metric("fc2", "label", ["x", None])
    refused(lambda: doc.checkpoint(6).unit_metric("fc2", "label", [0.5, 0.1]),
            "checkpoints[1].units.fc2.label", ["numbers here", "labels (text) in another checkpoint"])


def test_a_model_without_classes_refuses_per_class_values():
    doc = RunDocument("e", "sae")
    doc.add_layer("features", units=3)
    ck = doc.checkpoint(0)
    refused(lambda: ck.unit_metric("features", "class_means", [[1, 2], [1, 2], [1, 2]]),
            "checkpoints[0].units.features.class_means", ["and needs `classes`"])
    refused(lambda: ck.metric("class_accuracy", [0.5, 0.5]), "checkpoints[0].metrics.class_accuracy", ["`classes`"])
    ck.unit_metric("features", "activation_frequency", [0.1, 0.0, 1.0])
    ck.unit_metric("features", "explanation", ["commas", None, "the word 'the'"])
    ck.unit_metric("features", "explanation_score", [0.5, None, -0.2])
    assert "classes" not in doc.to_dict()


def test_files_read_back_as_written(tmp_path):
    doc = two_layer()
    ck = doc.checkpoint(100, {"test_accuracy": 0.75, "test_loss": 0.5, "class_accuracy": np.array([1.0, 0.5, 0.75])})
    ck.unit_metrics("fc1", {"class_selectivity": np.array([0.25, np.nan, 0.5, 1.0]),
                            "class_means": np.arange(12.0).reshape(4, 3),
                            "preferred_digit": ["3", None, None, "7"]})
    ck.curve("noise", ["fc1"], [0.0, 0.5], {"test_accuracy": [0.75, 0.5]}, seed=2)
    other = two_layer()
    other.model = "m1"
    other.checkpoint(1).metric("test_accuracy", None)
    for name in ("run.json", "run.json.gz"):
        doc.write(tmp_path / name)
        opener = gzip.open if name.endswith(".gz") else open
        with opener(tmp_path / name, "rt") as f:
            back = json.load(f)
        assert back == json.loads(doc.to_json())
        assert math.isnan(back["checkpoints"][0]["units"]["fc1"]["class_selectivity"][1])
        assert back["checkpoints"][0]["metrics"]["class_accuracy"] == [1.0, 0.5, 0.75]
    lesion.write([doc, other], tmp_path / "runs.jsonl.gz")
    with gzip.open(tmp_path / "runs.jsonl.gz", "rt") as f:
        lines = f.read().splitlines()
    assert [json.loads(line)["model"] for line in lines] == ["m0", "m1"]
    first = (tmp_path / "runs.jsonl.gz").read_bytes()
    lesion.write([doc, other], tmp_path / "runs.jsonl.gz")
    assert (tmp_path / "runs.jsonl.gz").read_bytes() == first   # mtime 0: same bytes
    with pytest.raises(ValueError, match="exactly one document"):
        lesion.write([doc, other], tmp_path / "two.json")
    with pytest.raises(ValueError, match="name the file"):
        doc.write(tmp_path / "run.pickle")
    again = RunDocument.from_dict(json.loads(doc.to_json()))
    assert again.to_json() == doc.to_json()


def test_from_dict_refuses_unknown_keys_with_their_place():
    data = json.loads(two_layer().checkpoint(1).unit_metric("fc2", "x", [1, 2])._doc.to_json())
    data["checkpoints"][0]["curvs"] = []
    refused(lambda: RunDocument.from_dict(data), "checkpoints[0].curvs", ["unknown key"])
