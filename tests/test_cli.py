"""The command line: predict, evaluate, and clear errors."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from digitrec.cli import main
from tests.conftest import drawn_shape, encode, mnist_on_paper


@pytest.fixture
def digit_file(tmp_path, mnist_test):
    path = tmp_path / "seven.jpg"
    path.write_bytes(encode(mnist_on_paper(mnist_test.images[0]), "JPEG"))
    return path


def test_predict_prints_the_digit(digit_file, capsys):
    assert main(["predict", str(digit_file)]) == 0
    assert capsys.readouterr().out.startswith(f"{digit_file}: 7 (")


def test_predict_says_when_a_shape_is_no_digit(tmp_path, capsys):
    star = tmp_path / "star.png"
    star.write_bytes(encode(drawn_shape("star")))
    assert main(["predict", str(star)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("unsure, does not look like a digit)")


def test_predict_json_and_blank(tmp_path, digit_file, capsys):
    blank = tmp_path / "blank.png"
    blank.write_bytes(encode(Image.new("RGBA", (100, 100), (0, 0, 0, 0))))
    assert main(["predict", "--json", str(digit_file), str(blank)]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["digit"] == 7 and first["file"] == str(digit_file)
    assert second["status"] == "no_digit" and second["digit"] is None


def test_predict_number(tmp_path, digit_file, capsys):
    assert main(["predict", "--number", "--json", str(digit_file)]) == 0
    assert json.loads(capsys.readouterr().out)["number"] == "7"


def test_predict_reports_bad_files_and_fails(tmp_path, capsys):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    assert main(["predict", str(bad), str(tmp_path / "missing.png")]) == 1
    err = capsys.readouterr().err
    assert "notes.txt: error: the file is not an image" in err
    assert "missing.png: error: No such file or directory" in err


def test_unknown_model_is_a_clear_error(digit_file, capsys):
    assert main(["predict", "--model", "nope", str(digit_file)]) == 1
    assert "unknown model 'nope'" in capsys.readouterr().err


@pytest.mark.mnist
def test_evaluate_json(mnist_dir, capsys):
    assert main(["evaluate", "--data", str(mnist_dir), "--model", "readme", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["accuracy"] > 0.98 and len(report["per_class"]) == 10


def test_evaluate_with_a_bad_data_folder(tmp_path, capsys):
    assert main(["evaluate", "--data", str(tmp_path)]) == 1
    assert "t10k-images-idx3-ubyte.gz is missing" in capsys.readouterr().err
