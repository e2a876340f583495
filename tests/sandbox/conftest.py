"""Fixtures for the sandbox contract tests: in-process servers on free ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from tests.sandbox.helpers import Api, RawStream
from zavera_desktop.sandbox import SandboxConfig, SandboxServer

JWT_SECRET = "sandbox-test-secret-" + "0123456789abcdef" * 3  # 67 bytes: no PyJWT key-length warning
SERVER_KEY = "SB-Mid-server-TESTKEY0123456789"

BASE_CONFIG = SandboxConfig(
    port=0,
    startup_broadcast=False,  # its own test turns it on; elsewhere it would be noise at +3 s
    jwt_secret=JWT_SECRET,
    admin_password="admin-pass-123",
    user_password="user-pass-123",
    server_key=SERVER_KEY,
)


@pytest.fixture
def start_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    """Start a sandbox with config overrides; every one started is stopped at teardown."""
    started: list[SandboxServer] = []

    def start(**overrides: Any) -> SandboxServer:
        server = SandboxServer(replace(BASE_CONFIG, **overrides))
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return start_sandbox()


@pytest.fixture
def make_api() -> Iterator[Callable[[SandboxServer], Api]]:
    made: list[Api] = []

    def make(server: SandboxServer) -> Api:
        api = Api(server.url, server.credentials)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


@pytest.fixture
def api(sandbox: SandboxServer, make_api: Callable[[SandboxServer], Api]) -> Api:
    return make_api(sandbox)


@pytest.fixture
def open_stream() -> Iterator[Callable[..., RawStream]]:
    """Open ``/api/admin/events`` streams that are closed at teardown."""
    opened: list[RawStream] = []

    def open_(api: Api, who: str = "admin", connected: bool = True, **kwargs: Any) -> RawStream:
        stream = api.stream(who, **kwargs)
        opened.append(stream)
        if connected:
            stream.wait_connected()
        return stream

    yield open_
    for stream in opened:
        stream.close()
