"""Compare two versions of the recognizer image by image (not a test).

    python bench/compare.py record before.json [--count 120] [--seed 2] [--model default]
    (change the code)
    python bench/compare.py record after.json [--count 120] [--seed 2]
    python bench/compare.py diff before.json after.json

``record`` reads every situation of both evaluation sets (the second opinion, bench/independent.py, with
``--seed``; our own, bench/situations.py, with its seed plus ``--seed``), judged as those scripts judge them, and
writes each image's label and answer. ``diff`` prints, per situation, how many each recording read right, then
every image whose answer changed: fixed, lost, or wrong either way. A seed neither set is tuned on gives images no
rule was written for; at 120 images per situation a recording takes about three minutes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from digitrec.data import load_split
from digitrec.recognizer import Recognizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import independent, situations


def record(out: Path, count: int, seed: int, model: str, data: str | None) -> None:
    """Read every image of both sets and write {"set/situation/index": {label, answer, status, correct}}."""
    split = load_split("test", data)
    recognizer = Recognizer(model)
    readings: dict[str, dict[str, object]] = {}

    def keep(prefix: str, outcomes: list[situations.Outcome]) -> None:
        for index, outcome in enumerate(outcomes):
            readings[f"{prefix}/{index}"] = {
                "label": outcome.sample.label,
                "answer": outcome.answer,
                "status": outcome.status,
                "correct": outcome.correct,
            }

    for name in independent.SITUATIONS:
        samples = independent.generate(split, name, count, seed)
        keep(f"second opinion/{name}", independent.evaluate(recognizer, name, samples))
    for name, build in situations.SITUATIONS.items():
        keep(f"ours/{name}", situations.evaluate(recognizer, name, build(split, count, situations.SEED + seed)))
    out.write_text(json.dumps(readings, indent=0) + "\n")
    print(f"{len(readings)} readings in {out}")


def diff(before: Path, after: Path) -> None:
    """Print right counts per situation and each image whose answer changed."""
    first, second = json.loads(before.read_text()), json.loads(after.read_text())
    groups: dict[str, list[str]] = {}
    for key in first:
        groups.setdefault(key.rsplit("/", 1)[0], []).append(key)
    print(f"| situation | {before.name} | {after.name} |\n| --- | ---: | ---: |")
    for group, keys in groups.items():
        right = [sum(bool(readings[key]["correct"]) for key in keys) for readings in (first, second)]
        print(f"| {group} | {right[0]}/{len(keys)} | {right[1]}/{len(keys)} |")
    totals = [sum(bool(reading["correct"]) for reading in readings.values()) for readings in (first, second)]
    print(f"| all | {totals[0]}/{len(first)} | {totals[1]}/{len(first)} |\n")
    for key, old in first.items():
        new = second[key]
        if old["answer"] != new["answer"]:
            verdict = "fixed" if new["correct"] else "lost" if old["correct"] else "wrong either way"
            label, was, now = old["label"] or "blank", old["answer"] or "none", new["answer"] or "none"
            print(f"- {key} ({label}): {was} -> {now}, {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="read both sets and write the answers")
    recording.add_argument("out", type=Path)
    recording.add_argument("--count", type=int, default=120, help="images per situation")
    recording.add_argument("--seed", type=int, default=2, help="the sets' seed (ours: its own plus this)")
    recording.add_argument("--model", default="default", help="a committed model's name or a model folder")
    recording.add_argument("--data", default=None, help="MNIST folder (default: DIGITREC_DATA or the cache)")
    comparing = commands.add_parser("diff", help="compare two recordings")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.out, args.count, args.seed, args.model, args.data)
    else:
        diff(args.before, args.after)


if __name__ == "__main__":
    main()
