"""digitrec serve | predict | evaluate | train: a thin layer that parses, calls the library, and prints."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from digitrec.errors import DigitrecError

EXIT_USAGE = 2


def _serve(args: argparse.Namespace) -> int:
    from digitrec.serve import serve

    return serve(host=args.host, port=args.port, workers=args.workers, model=args.model)


def _predict(args: argparse.Namespace) -> int:
    from digitrec.recognizer import Recognizer

    recognizer = Recognizer(args.model)
    failed = 0
    for path in args.images:
        try:
            data = Path(path).read_bytes()
            result = recognizer.read_number(data) if args.number else recognizer.predict(data)
        except (OSError, DigitrecError) as error:
            failed += 1
            message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            if args.json:
                print(
                    json.dumps(
                        {"file": path, "error": {"code": getattr(error, "code", "io_error"), "message": message}}
                    )
                )
            else:
                print(f"{path}: error: {message}", file=sys.stderr)
            continue
        if args.json:
            print(json.dumps({"file": path, **result.to_dict()}))
        elif args.number:
            shown = result.number or "no digit"
            confidences = " ".join(f"{d.digit}:{d.confidence:.2f}" for d in result.digits)
            print(f"{path}: {shown} ({result.status}) {confidences}".rstrip())
        elif result.digit is None:
            print(f"{path}: no digit")
        else:
            unlike = "" if result.looks_like_digit else ", does not look like a digit"
            print(f"{path}: {result.digit} ({result.confidence:.1%}, {result.status}{unlike})")
    return 1 if failed else 0


def _evaluate(args: argparse.Namespace) -> int:
    from digitrec.evaluate import evaluate_model

    report = evaluate_model(args.model, args.data)
    if args.json:
        print(json.dumps(report))
    else:
        print(f"model {report['model']}: accuracy {report['accuracy']:.4%} on {report['images']} MNIST test images")
        for digit, accuracy in report["per_class"].items():
            print(f"  {digit}: {accuracy:.4%}")
        print(f"  {report['ms_per_image']:.3f} ms an image (normalisation + ONNX Runtime)")
    return 0


def _train(args: argparse.Namespace) -> int:
    from digitrec.train import TrainConfig, add_gate, recalibrate, train

    if args.calibrate_only or args.gate_only:
        from digitrec import artifacts

        folder = Path(args.out) / args.model if args.out else artifacts.model_dir(args.model)
        (recalibrate if args.calibrate_only else add_gate)(folder, args.data)
        return 0
    config = TrainConfig(model=args.model, epochs=args.epochs or TrainConfig.epochs, seed=args.seed)
    config.train_limit = args.limit
    train(config, args.data, args.out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    parser = argparse.ArgumentParser(prog="digitrec", description="Handwritten digit recognition.")
    commands = parser.add_subparsers(dest="command", required=True)
    data_help = "folder with the four MNIST IDX .gz files (default: $DIGITREC_DATA, else download to the cache)"

    serve = commands.add_parser("serve", help="serve the web app and JSON API with gunicorn")
    serve.add_argument("--host", default=os.environ.get("DIGITREC_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("DIGITREC_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: from the core count)")
    serve.add_argument("--model", default=None, help="model served by default (default | readme)")
    serve.set_defaults(handler=_serve)

    predict = commands.add_parser("predict", help="read the digit (or number) in image files")
    predict.add_argument("images", nargs="+", metavar="IMAGE")
    predict.add_argument("--number", action="store_true", help="read a whole number written left to right")
    predict.add_argument("--json", action="store_true", help="one JSON object a line")
    predict.add_argument("--model", default="default")
    predict.set_defaults(handler=_predict)

    evaluate = commands.add_parser("evaluate", help="score a committed model on the MNIST test set")
    evaluate.add_argument("--data", default=None, help=data_help)
    evaluate.add_argument("--model", default="default")
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(handler=_evaluate)

    train = commands.add_parser("train", help="train a model (needs the 'train' extra)")
    train.add_argument("--model", choices=("default", "readme"), default="default")
    train.add_argument("--data", default=None, help=data_help)
    train.add_argument("--epochs", type=int, default=None)
    train.add_argument("--seed", type=int, default=2026)
    train.add_argument("--limit", type=int, default=None, help="train on this many images only (a quick check)")
    train.add_argument("--out", default=None, help="write the model here instead of the package's models/")
    train.add_argument(
        "--calibrate-only", action="store_true", help="only recompute the 'unsure' threshold of a trained model"
    )
    train.add_argument("--gate-only", action="store_true", help="only train the 'not a digit' check of a trained model")
    train.set_defaults(handler=_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DigitrecError as error:
        print(f"digitrec: error: {error}", file=sys.stderr)
        return 1
    except ImportError as error:
        print(f"digitrec: error: {error}; install the extra it needs (pip install -e '.[train]')", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
