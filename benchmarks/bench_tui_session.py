"""One session in a real terminal (tmux, 120x40) on the demo corpus: search, open a hit, the page image, the
claims view, trace a claim, export the trace, the release view. Prints the timings and keeps the screens.

    python benchmarks/bench_tui_session.py [--out DIR] [--size 120x40]

The case file is built without embeddings or a learned NER model (text search, rules), as on a fresh laptop.
The tmux server runs on a private socket and is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from docmine.config import REPO_ROOT, Settings
from docmine.service import Docmine

SOCKET = "docmine-bench-tui"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True, text=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", "tui")


def wait_for(text: str, timeout: float = 60.0) -> float:
    """Seconds until ``text`` is on the screen."""
    start = time.perf_counter()
    while text not in screen():
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"timed out waiting for {text!r}; the screen held:\n{screen()}")
        time.sleep(0.03)
    return time.perf_counter() - start


def keys(*names: str) -> float:
    tmux("send-keys", "-t", "tui", *names)
    return time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/docmine-tui-session"))
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--reuse", action="store_true", help="keep the case file a previous run built in --out")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    out: Path = args.out
    settings = Settings(db=out / "demo.db", jobs=1, embed=False, extract=True, ner_model="none")
    figures: dict[str, float] = {}
    if not (args.reuse and settings.db.exists()):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        started = time.perf_counter()
        with Docmine(settings, create=True) as dm:
            dm.ingest([REPO_ROOT / "corpora" / "demo" / "docs"])
        figures["build_case_s"] = time.perf_counter() - started
    width, height = args.size.split("x")
    command = f"{sys.executable} -m docmine.tui.command --db {settings.db}"
    screens: dict[str, str] = {}
    try:
        t0 = time.perf_counter()
        tmux("new-session", "-d", "-s", "tui", "-x", width, "-y", height, "-c", str(out), command)
        figures["first_screen_s"] = wait_for("type a query")
        t = keys("-l", "grip op jeugdhulp")  # a PDF (the Rekenkamer report) first: it has a page image
        keys("Enter")
        wait_for("hits for 'grip op jeugdhulp'")
        figures["first_search_s"] = time.perf_counter() - t  # from the first key, typing included
        time.sleep(1.0)  # a person reads the results (and the search-as-you-type settles)
        screens["search"] = screen()
        keys("Down")
        time.sleep(0.3)  # a person's pause: focus moves after the key is handled
        t = keys("Enter")
        wait_for("pagina ")
        figures["open_hit_s"] = time.perf_counter() - t
        t = keys("i")
        wait_for("boxed")
        figures["page_image_s"] = time.perf_counter() - t
        screens["page_image"] = screen()
        t = keys("F7")
        wait_for("claims; Enter opens")
        figures["claims_view_s"] = time.perf_counter() - t
        screens["claims"] = screen()
        t = keys("t")
        wait_for("sources,")
        figures["trace_s"] = time.perf_counter() - t
        screens["trace"] = screen()
        keys("F3")
        wait_for("Export sources to")
        time.sleep(0.3)  # the dialog's box takes focus after it is drawn
        keys("C-u")
        keys("-l", str(out / "trace.csv"))
        time.sleep(0.3)
        keys("Enter")
        wait_for("wrote ")
        t = keys("F12")
        wait_for("Inventory of", timeout=180)
        figures["release_view_s"] = time.perf_counter() - t
        time.sleep(0.5)
        screens["release"] = screen()
        keys("C-q")
        figures["session_s"] = time.perf_counter() - t0
        # the page image once more under NO_COLOR: shades, which a text capture keeps
        while subprocess.run(["tmux", "-L", SOCKET, "has-session", "-t", "tui"], capture_output=True).returncode == 0:
            time.sleep(0.1)  # the first session ends when the app quits
        tmux("new-session", "-d", "-s", "tui", "-x", width, "-y", height, f"env NO_COLOR=1 {command}")
        wait_for("type a query")
        keys("-l", "grip op jeugdhulp")
        keys("Enter")
        wait_for("hits for 'grip op jeugdhulp'")
        time.sleep(1.0)
        keys("Down")
        time.sleep(0.3)
        keys("Enter")
        wait_for("pagina ")
        keys("i")
        wait_for("boxed")
        time.sleep(0.5)
        screens["page_image_no_color"] = screen()
        keys("C-q")
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    for name, text in screens.items():
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
    exported = (out / "trace.csv").read_text(encoding="utf-8").splitlines()
    figures = {k: round(v, 2) for k, v in figures.items()}
    print(json.dumps({**figures, "trace_rows": len(exported) - 1, "screens": str(out)}, indent=1))


if __name__ == "__main__":
    main()
