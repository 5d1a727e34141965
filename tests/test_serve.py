"""`python3 dev.py serve`: the site is served at the root of the address, with live reload."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ENV, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    return ""


def test_dev_py_serve_previews_at_the_root_with_live_reload_and_stops_with_its_process() -> None:
    """The preview serves the pages at the root of its address (their links and citations too), reloads
    them as they are saved, and says nothing alarming; editors, tools and CI stop it by its process id,
    and the server goes with it, leaving the port free."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "dev.py"), "serve", "--port", str(port)], cwd=ROOT,
                              env={k: v for k, v in ENV.items() if k != "VIRTUAL_ENV"},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        html = _wait_for(f"http://127.0.0.1:{port}/roles/advocacy/")
        assert "<title>Advocacy - Client-Centred Practice Handbook</title>" in html
        assert f'<link rel="canonical" href="http://127.0.0.1:{port}/roles/advocacy/">' in html  # at the root, not /handbook/
        assert "livereload" in html
        server.terminate()  # SIGTERM to the process id dev.py started as
        output = server.communicate(timeout=60)[0]
    finally:
        if server.poll() is None:
            server.kill()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "the server is still running after dev.py was stopped"
    assert "inaccurate navigation" not in output and "dirty" not in output.lower(), output
