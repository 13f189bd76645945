"""Screenshots of the home, model, release and query pages, for docs/screenshots/ (issue 11).

Run it from the repository (``python scripts/screenshots.py``): it builds a small store in a
temporary folder from the bundled examples plus a few real catalogue records — the Model
Openness Tool and both European Open Source AI Index editions on Llama 3 70B Instruct and OLMo —
so the release page has MOF progress, the Index table and claimants who disagree (about a
minute, not the minutes of ``openness build``); or give ``--store PATH`` (e.g. a built corpus,
used as it is). It starts ``openness serve`` on a free loopback port, drives headless chromium
(Debian's ``chromium`` and ``chromium-driver``) and writes ``home.png``, ``model.png``,
``release.png`` and ``query.png`` (the first example shown as a chart) into ``--out``
(default ``docs/screenshots``).

:func:`build_store` and :func:`start_server` are also used by ``tests/test_api_browser.py``.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from openness.importers.osai import INDEX_NAME, INDEX_V102_FOLDER

#: Catalogue records of the small store: (importer, folder under data/sources) → file names.
RECORDS: dict[tuple[str, str], list[str]] = {
    ("mot", "mot/models"): ["Meta-Llama-3-70B-Instruct.yml", "OLMo-7B.yml"],
    ("osai", INDEX_NAME): ["llama-3-instruct.yaml", "OLMo.yaml"],
    ("osai-legacy", INDEX_V102_FOLDER): ["llama-3-instruct.yaml"],
}
#: The release the screenshots show (it has verdicts under all four frameworks in the small store).
RELEASE = "meta-llama-3-70b-instruct"
WINDOW = (1280, 2000)
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--hide-scrollbars"]


def build_store(path: Path) -> Path:
    """An on-disk store at ``path``: the bundled examples (validated like ``openness load``) and
    :data:`RECORDS` imported like ``openness import`` (each batch derives its verdicts). The store
    is closed before returning, so a server can open it."""
    from openness.gate import ingest_files
    from openness.importers.build import import_source
    from openness.resources import data_dir
    from openness.store import OxigraphStore

    store = OxigraphStore(path)
    try:
        ingest_files(store, sorted((data_dir() / "examples").glob("*.ttl")))
        with tempfile.TemporaryDirectory(prefix="openness-shots-") as tmp:
            for (source, folder), names in RECORDS.items():
                target = Path(tmp) / folder.replace("/", "-")
                target.mkdir()
                for name in names:
                    shutil.copy(data_dir() / "sources" / folder / name, target / name)
                import_source(store, source, target)
        store.flush()
    finally:
        del store
        gc.collect()  # pyoxigraph releases the store's lock with the object
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def start_server(store: Path, *, wait: float = 120.0) -> Iterator[str]:
    """``openness serve`` on ``store`` (a free loopback port, no writes); yields its base URL and
    stops it after. Raises RuntimeError with the server's output when it does not come up."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from openness.cli import main; main()", "serve", "--store", str(store),
             "--host", "127.0.0.1", "--port", str(port), "--no-examples", "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + wait
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-3000:]
                    raise RuntimeError(f"openness serve did not start:\n{output}")
                try:
                    if httpx.get(f"{url}/sparql", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def executable(*names: str) -> str:
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    raise RuntimeError(f"none of {names} is installed: apt-get install -y chromium chromium-driver")


def chromium(profile: Path, size: tuple[int, int] = WINDOW):
    """A headless chromium driven by chromedriver (selenium), with its profile in ``profile``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in [*CHROME_FLAGS, f"--window-size={size[0]},{size[1]}", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.binary_location = executable("chromium", "chromium-browser")
    driver = webdriver.Chrome(options=options, service=Service(executable("chromedriver")))
    driver.set_page_load_timeout(90)
    return driver


def run_first_example_as_chart(driver, url: str, timeout: float = 90) -> None:
    """Open the query page, run the preselected example and show it as a chart."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{url}/query")
    wait = WebDriverWait(driver, timeout)
    ready = "return !!(window.opennessYasgui && window.opennessYasgui.getTab())"
    wait.until(lambda d: d.execute_script(ready))
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr tbody tr"))
    driver.find_element(By.CSS_SELECTOR, ".yasr .select_chart").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".openness-chart[data-rendered] svg"))


def full_page(driver, path: Path, width: int = WINDOW[0], most: int = 3200) -> None:
    """Save the page (its top ``most`` pixels at most) as a PNG."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height) + 40, 800), most))
    time.sleep(0.5)
    driver.save_screenshot(str(path))


def take(url: str, out: Path, release: str = RELEASE) -> list[Path]:
    """The four screenshots of the server at ``url`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    detail = httpx.get(f"{url}/api/releases/{release}", timeout=120).json()
    model = (detail.get("model") or {}).get("iri")
    base = detail["iri"][: -len(f"release/{release}")]
    pages = {"home": "/", "release": detail["page"]}
    if model:
        pages["model"] = "/page/" + model[len(base):]
    written = []
    with tempfile.TemporaryDirectory(prefix="openness-chromium-") as profile:
        driver = chromium(Path(profile))
        try:
            for name, path in pages.items():
                driver.set_window_size(*WINDOW)
                driver.get(url + path)
                driver.execute_script(
                    "return Promise.all([...document.images].map(i => i.complete ? 1 :"
                    " new Promise(r => { i.onload = i.onerror = r; })))")
                time.sleep(1.0)
                full_page(driver, out / f"{name}.png")
                written.append(out / f"{name}.png")
            driver.set_window_size(*WINDOW)
            run_first_example_as_chart(driver, url)
            full_page(driver, out / "query.png")
            written.append(out / "query.png")
        finally:
            driver.quit()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build a small one)")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"), help="where the PNGs go")
    parser.add_argument("--release", default=RELEASE, help="the release (slug) the release page shows")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="openness-shots-store-") as tmp:
        store = args.store
        if store is None:
            print("building a small store from the examples and a few catalogue records …", flush=True)
            store = build_store(Path(tmp) / "store")
        with start_server(store) as url:
            for path in take(url, args.out, args.release):
                print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
