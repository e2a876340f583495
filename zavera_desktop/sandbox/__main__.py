"""``python -m zavera_desktop.sandbox``: the sandbox CLI without the desktop app."""

import argparse

from zavera_desktop.sandbox.cli import add_arguments, run


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zavera_desktop.sandbox",
        description="Run the Zavera backend sandbox with its Midtrans simulator.",
    )
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
