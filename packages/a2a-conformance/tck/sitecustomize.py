"""Loaded by Python at start-up (it is on PYTHONPATH) when run-tck.sh runs the official A2A TCK.

1. Auth: the TCK has no option for a bearer token and `codetether serve` keeps its auth on, so every request
   to the server under test (httpx, to TCK_SUT_URL's origin; gRPC, to any target) gets
   `Authorization: Bearer $TCK_SUT_TOKEN`. Nothing else in the requests changes.
2. Compatibility with older Python packages (Debian 12's python3-grpcio 1.51 and python3-protobuf 4.21 when
   PyPI is unreachable), each applied only when the installed package lacks the feature:
   - protobuf < 5 has no `google.protobuf.runtime_version`, which the TCK's generated a2a_pb2.py imports to
     check versions: a stand-in whose check passes;
   - grpcio < 1.63 does not accept the `_registered_method` argument generated stubs pass: dropped;
   - the Google Cloud SDK's vendored google.api/google.rpc protos (a TCK_GOOGLE_PROTOS source) import
     `cloudsdk.google.protobuf`: an alias of `google.protobuf` (the same modules, not copies).
"""

import importlib
import importlib.abc
import importlib.util
import os
import sys
import types
from urllib.parse import urlsplit

_TOKEN = os.environ.get("TCK_SUT_TOKEN", "")
_SUT = urlsplit(os.environ.get("TCK_SUT_URL", ""))


class _CloudSdkAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`cloudsdk.google.X` is `google.X`: the module already imported (or imported now) under that name."""

    def find_spec(self, name, path, target=None):
        if name in ("cloudsdk", "cloudsdk.google") or name.startswith("cloudsdk.google."):
            return importlib.util.spec_from_loader(name, self, is_package=True)
        return None

    def create_module(self, spec):
        if spec.name == "cloudsdk":
            module = types.ModuleType("cloudsdk")
            module.__path__ = []
            return module
        return importlib.import_module(spec.name[len("cloudsdk.") :])

    def exec_module(self, module):
        pass


def _cloudsdk_alias() -> None:
    if importlib.util.find_spec("cloudsdk") is None:
        sys.meta_path.insert(0, _CloudSdkAlias())  # before the path finder, which would load copies


def _protobuf_runtime_version() -> None:
    try:
        import google.protobuf as protobuf
    except ImportError:
        return
    try:
        from google.protobuf import runtime_version  # noqa: F401
        return
    except ImportError:
        pass
    module = types.ModuleType("google.protobuf.runtime_version")

    class Domain:
        PUBLIC = 0
        GOOGLE_INTERNAL = 1

    module.Domain = Domain
    module.ValidateProtobufRuntimeVersion = lambda *args, **kwargs: None
    sys.modules["google.protobuf.runtime_version"] = module
    protobuf.runtime_version = module


def _httpx_auth() -> None:
    if not _TOKEN or not _SUT.netloc:
        return
    try:
        import httpx
    except ImportError:
        return

    def add_token(request):
        if request.url.host == _SUT.hostname and (request.url.port or 80) == (_SUT.port or 80):
            request.headers.setdefault("authorization", f"Bearer {_TOKEN}")

    for cls in (httpx.Client, httpx.AsyncClient):
        original = cls.send
        if cls is httpx.Client:

            def send(self, request, *args, _original=original, **kwargs):
                add_token(request)
                return _original(self, request, *args, **kwargs)

        else:

            async def send(self, request, *args, _original=original, **kwargs):
                add_token(request)
                return await _original(self, request, *args, **kwargs)

        cls.send = send


def _grpc() -> None:
    try:
        import grpc
    except ImportError:
        return
    original = grpc.insecure_channel

    class _Details(grpc.ClientCallDetails):
        def __init__(self, details, metadata):
            self.method = details.method
            self.timeout = details.timeout
            self.metadata = metadata
            self.credentials = details.credentials
            self.wait_for_ready = getattr(details, "wait_for_ready", None)
            self.compression = getattr(details, "compression", None)

    class _Auth(
        grpc.UnaryUnaryClientInterceptor,
        grpc.UnaryStreamClientInterceptor,
    ):
        def _details(self, details):
            metadata = list(details.metadata or [])
            if _TOKEN and not any(k == "authorization" for k, _ in metadata):
                metadata.append(("authorization", f"Bearer {_TOKEN}"))
            return _Details(details, metadata)

        def intercept_unary_unary(self, continuation, details, request):
            return continuation(self._details(details), request)

        def intercept_unary_stream(self, continuation, details, request):
            return continuation(self._details(details), request)

    class _Channel:
        """The intercepted channel, accepting (and dropping) arguments this grpcio does not know."""

        def __init__(self, channel):
            self._channel = channel

        def __getattr__(self, name):
            return getattr(self._channel, name)

        def _method(self, kind, method, *args, **kwargs):
            try:
                return getattr(self._channel, kind)(method, *args, **kwargs)
            except TypeError:
                kwargs.pop("_registered_method", None)
                return getattr(self._channel, kind)(method, *args, **kwargs)

        def unary_unary(self, method, *args, **kwargs):
            return self._method("unary_unary", method, *args, **kwargs)

        def unary_stream(self, method, *args, **kwargs):
            return self._method("unary_stream", method, *args, **kwargs)

        def stream_unary(self, method, *args, **kwargs):
            return self._method("stream_unary", method, *args, **kwargs)

        def stream_stream(self, method, *args, **kwargs):
            return self._method("stream_stream", method, *args, **kwargs)

        def close(self):
            self._channel.close()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.close()
            return False

    def insecure_channel(target, *args, **kwargs):
        return _Channel(grpc.intercept_channel(original(target, *args, **kwargs), _Auth()))

    grpc.insecure_channel = insecure_channel


_cloudsdk_alias()
_protobuf_runtime_version()
_httpx_auth()
_grpc()
