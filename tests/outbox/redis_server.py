"""A Redis server of the test's own, on a free loopback port, that a test may stop and start
without touching the suite's shared one (REDIS_URL)."""

import shutil
import socket
import subprocess
import time

import redis


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def _client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)

    def answers(self):
        try:
            return self._client().ping()
        except redis.ConnectionError:
            return False

    def start(self):
        subprocess.run(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.folder),
                "--pidfile",
                str(self.folder / "redis.pid"),
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            check=True,
        )
        self._wait(up=True)

    def stop(self):
        try:
            self._client().shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # it closes the connection as it goes
        self._wait(up=False)

    def _wait(self, *, up):
        deadline = time.monotonic() + 10
        while self.answers() != up:
            if time.monotonic() > deadline:
                raise RuntimeError(f"Redis on port {self.port} did not {'start' if up else 'stop'}")
            time.sleep(0.05)
