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
    assert 'env["HANDBOOK_SITE_URL"] = f"http://{address}/"' in source and '"--dev-addr", address, "--livereload"' in source
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
                time.sleep(0.2)
        assert "<title>Advocacy - Client-Centred Practice Handbook</title>" in html
        assert "livereload" in html
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    return ""


def test_dev_py_serve_stops_when_its_process_is_stopped_and_says_nothing_alarming() -> None:
    """Editors, tools and CI stop the preview by its process id: the server goes with it and the port is free."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "dev.py"), "serve", "--port", str(port)], cwd=ROOT,
                              env={k: v for k, v in ENV.items() if k != "VIRTUAL_ENV"},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        html = _wait_for(f"http://127.0.0.1:{port}/roles/advocacy/")
        assert "<title>Advocacy - Client-Centred Practice Handbook</title>" in html
        server.terminate()  # SIGTERM to the process id dev.py started as
        output = server.communicate(timeout=60)[0]
    finally:
        if server.poll() is None:
            server.kill()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "the server is still running after dev.py was stopped"
    assert "inaccurate navigation" not in output and "dirty" not in output.lower(), output
