"""`python3 dev.py serve`: the site is served at the root of the address, with live reload."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ENV, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preview_serves_pages_at_the_root_with_live_reload() -> None:
    source = (ROOT / "dev.py").read_text()
    assert 'env["HANDBOOK_SITE_URL"] = "http://127.0.0.1:8000/"' in source and '"--dev-addr", "127.0.0.1:8000", "--livereload"' in source
    port = free_port()
    env = {**ENV, "HANDBOOK_SITE_URL": f"http://127.0.0.1:{port}/"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        html = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/roles/advocacy/", timeout=5) as response:
                    html = response.read().decode()
                break
            except OSError:
                time.sleep(1)
        assert "<title>Advocacy - Client-Centred Practice Handbook</title>" in html
        assert "livereload" in html
    finally:
        server.terminate()
        server.wait(timeout=30)
