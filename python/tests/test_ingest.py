"""lesion.ingest through the built `lesion` binary, on both backends."""

import os

import pytest

import lesion


def small_document(model="m0", units=4):
    doc = lesion.RunDocument("pytest-ingest", model, classes=3, attributes={"seed": 0})
    doc.add_layer("fc1", units=units, kind="dense")
    ck = doc.checkpoint(10, {"test_accuracy": 0.5, "test_loss": 1.0})
    ck.unit_metrics("fc1", {"class_means": [[1.0, 0.0, 0.0]] * units,
                            "ablated_test_accuracy": [0.5, 0.25, 0.5, 0.4][:units]})
    ck.curve("ablation", "all", [0.0, 0.5, 1.0], {"test_accuracy": [0.5, 0.3, 0.1]}, order="random", seed=0)
    return doc


def test_a_missing_binary_raises_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(lesion.LesionNotFoundError, match="swift build --product lesion"):
        lesion.ingest(small_document(), db=str(tmp_path / "x.db"), binary=tmp_path / "nowhere" / "lesion")
    monkeypatch.setenv("LESION_BIN", str(tmp_path / "absent"))
    with pytest.raises(lesion.LesionNotFoundError, match=r"\$LESION_BIN"):
        lesion.find_binary()
    monkeypatch.delenv("LESION_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(lesion.LesionNotFoundError, match="not on PATH"):
        lesion.find_binary()


def test_documents_are_stored_and_counted(lesion_binary, database):
    summary = lesion.ingest([small_document("m0"), small_document("m1")], db=database, binary=lesion_binary)
    assert (summary.stored, summary.unchanged, summary.refused) == (2, 0, 0)
    assert (summary.models, summary.checkpoints) == (2, 2)
    assert summary.curve_points == 6 and summary.line.startswith("stored 2")


def test_a_refusal_raises_with_lesions_message_and_the_rest_is_stored(lesion_binary, database):
    bad = small_document("bad").to_dict()
    bad["checkpoints"][0]["units"]["fc1"]["ablated_test_accuracy"] = [0.5, 0.5, 0.5]
    with pytest.raises(lesion.IngestRefusedError) as e:
        lesion.ingest([small_document("good"), bad], db=database, binary=lesion_binary)
    assert e.value.summary.stored == 1 and e.value.summary.refused == 1
    assert "checkpoints[0].units.fc1.ablated_test_accuracy" in str(e.value)
    assert "3 values" in str(e.value)


def test_a_failing_command_raises_with_its_status(lesion_binary, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(lesion.LesionCommandError) as e:
        lesion.ingest(small_document(), db=str(blocker / "x.db"), binary=lesion_binary)
    assert e.value.returncode != 0 and e.value.stderr
    assert not os.path.exists(blocker / "x.db")
