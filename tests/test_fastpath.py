"""The shortcut past SigV4 (pca_mock._fastpath): taken only when nothing can tell, and answering the same."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.auth
import botocore.session
import pytest
from botocore import UNSIGNED
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError, NoCredentialsError
from botocore.history import BaseHistoryHandler, get_global_history_recorder
from botocore.stub import Stubber

from pca_mock import _fastpath, mock_acmpca
from tests.helpers import ca_configuration, create_active_root, create_ca, issue, make_csr

REGION = "eu-west-1"
_ACCESS_KEY = "AKIAFASTPATHTEST0001"


@pytest.fixture(autouse=True)
def _shortcut_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """On, even in the run of the suite that switches it off everywhere else (nox -s tests_signed)."""
    monkeypatch.setattr(_fastpath, "ENABLED", True)


@pytest.fixture
def signatures(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every request botocore signs with SigV4 while the test runs."""
    signed: list[Any] = []
    add_auth = botocore.auth.SigV4Auth.add_auth

    def counting(self: Any, request: Any) -> None:
        signed.append(request)
        add_auth(self, request)

    monkeypatch.setattr(botocore.auth.SigV4Auth, "add_auth", counting)
    return signed


@pytest.fixture(params=[True, False], ids=["shortcut", "signed"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run a test over both paths."""
    enabled: bool = request.param
    monkeypatch.setattr(_fastpath, "ENABLED", enabled)
    return enabled


def _client(**kwargs: Any) -> Any:
    kwargs.setdefault("aws_access_key_id", _ACCESS_KEY)
    kwargs.setdefault("aws_secret_access_key", "secret")
    kwargs.setdefault("region_name", REGION)
    return boto3.client("acm-pca", **kwargs)


def test_a_plain_client_sends_nothing_to_sign(signatures: list[Any]) -> None:
    with mock_acmpca():
        client = _client()
        ca_arn = create_active_root(client)
        issue(client, ca_arn, make_csr())
    assert signatures == []


def test_with_the_shortcut_switched_off_every_request_is_signed(
    signatures: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fastpath, "ENABLED", False)
    with mock_acmpca():
        client = _client()
        client.list_certificate_authorities()
        client.list_certificate_authorities()
    assert len(signatures) == 2
    assert all(_ACCESS_KEY in str(request.headers["Authorization"]) for request in signatures)


# --- what makes a client take the signed path ----------------------------------------


def _observer(seen: list[str]) -> Any:
    def observe(event_name: str, **_: Any) -> None:
        seen.append(event_name)

    return observe


@pytest.mark.parametrize(
    "event",
    [
        "request-created",
        "choose-signer",
        "before-sign",
        "before-send",
        "before-parse",
        "response-received",
        "needs-retry",
        "after-call",
    ],
)
def test_a_user_handler_on_any_event_that_sees_the_request_keeps_it_signed(event: str, signatures: list[Any]) -> None:
    seen: list[str] = []
    with mock_acmpca():
        client = _client()
        client.meta.events.register(f"{event}.acm-pca", _observer(seen))
        client.list_certificate_authorities()
    assert len(signatures) == 1
    assert seen
    assert all(name.startswith(event) for name in seen)


def test_a_before_send_handler_sees_the_request_signed_as_aws_would_get_it() -> None:
    headers: list[dict[str, Any]] = []

    def look(request: Any, **_: Any) -> None:
        headers.append(dict(request.headers))

    with mock_acmpca():
        client = _client()
        client.meta.events.register("before-send.acm-pca", look)
        assert client.list_certificate_authorities()["CertificateAuthorities"] == []
    authorization = headers[0]["Authorization"]
    authorization = authorization.decode() if isinstance(authorization, bytes) else authorization
    assert re.match(rf"AWS4-HMAC-SHA256 Credential={_ACCESS_KEY}/\d{{8}}/{REGION}/acm-pca/aws4_request", authorization)


def test_removing_the_handler_again_restores_the_shortcut(signatures: list[Any]) -> None:
    seen: list[str] = []
    observe = _observer(seen)
    with mock_acmpca():
        client = _client()
        client.meta.events.register("after-call.acm-pca", observe)
        client.list_certificate_authorities()
        client.meta.events.unregister("after-call.acm-pca", observe)
        client.list_certificate_authorities()
    assert (len(signatures), len(seen)) == (1, 1)


@pytest.mark.parametrize("logger", ["botocore", "botocore.endpoint", "botocore.hooks", "botocore.auth"])
def test_debug_logging_keeps_requests_signed(
    logger: str, signatures: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger=logger), mock_acmpca():
        _client().list_certificate_authorities()
    assert len(signatures) == 1


def test_botocore_history_keeps_requests_signed(signatures: list[Any]) -> None:
    recorder: Any = get_global_history_recorder()
    events: list[str] = []

    class Handler(BaseHistoryHandler):
        def emit(self, event_type: str, payload: Any, source: str) -> None:
            events.append(event_type)

    handler = Handler()
    recorder.enable()
    recorder.add_handler(handler)
    try:
        with mock_acmpca():
            _client().list_certificate_authorities()
    finally:
        recorder.disable()
        recorder._handlers.remove(handler)
    assert len(signatures) == 1
    assert "HTTP_REQUEST" in events


def test_a_stubber_still_answers_before_the_mock() -> None:
    with mock_acmpca():
        client = _client()
        with Stubber(client) as stubber:
            stubber.add_response("list_certificate_authorities", {"CertificateAuthorities": [], "NextToken": "stubbed"})
            assert client.list_certificate_authorities()["NextToken"] == "stubbed"


def test_a_client_the_mock_does_not_answer_sends_its_request_signed(signatures: list[Any]) -> None:
    from pca_mock._interceptor import EVENT_NAME, handle_before_send

    with mock_acmpca():
        client = _client()
        handler: Any = handle_before_send
        client.meta.events.unregister(EVENT_NAME, handler)
        with pytest.raises(AssertionError, match="reached the network layer"):
            client.list_certificate_authorities()
    assert len(signatures) == 1


def test_without_a_mock_requests_go_out_signed(signatures: list[Any]) -> None:
    client = _client()
    with pytest.raises(AssertionError, match="reached the network layer"):
        client.list_certificate_authorities()
    assert len(signatures) == 1


# --- the same answers on both paths -----------------------------------------------------


def test_without_credentials_both_paths_raise_no_credentials_error(
    path: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with mock_acmpca(mock_credentials=False):
        client = boto3.session.Session().client("acm-pca", region_name=REGION)
        with pytest.raises(NoCredentialsError):
            client.list_certificate_authorities()


def test_an_unsigned_client_lands_in_the_default_account_of_its_endpoint_region(path: bool) -> None:
    with mock_acmpca():
        arn = create_ca(_client(region_name="ap-southeast-2", config=Config(signature_version=UNSIGNED)))
    assert arn.split(":")[3:5] == ["ap-southeast-2", "123456789012"]


@pytest.mark.parametrize(
    ("region", "access_key", "config", "expected"),
    [
        pytest.param(
            "eu-central-1", "AKIAMAPPEDKEY0000001", None, ("aws", "eu-central-1", "111122223333"), id="mapped"
        ),
        pytest.param("cn-north-1", "444455556666", None, ("aws-cn", "cn-north-1", "444455556666"), id="china"),
        pytest.param(
            "us-gov-west-1",
            "AKIAUNMAPPEDKEY00001",
            None,
            ("aws-us-gov", "us-gov-west-1", "123456789012"),
            id="govcloud",
        ),
        pytest.param(
            "us-east-1",
            "AKIAMAPPEDKEY0000001",
            Config(use_fips_endpoint=True),
            ("aws", "us-east-1", "111122223333"),
            id="fips",
        ),
        pytest.param("us-west-2", "key/with,odd chars", None, ("aws", "us-west-2", "123456789012"), id="odd-key"),
    ],
)
def test_both_paths_place_a_ca_in_the_same_account_and_region(
    region: str,
    access_key: str,
    config: Config | None,
    expected: tuple[str, str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arns = []
    with mock_acmpca(accounts={"AKIAMAPPEDKEY0000001": "111122223333"}):
        for enabled in (True, False):
            monkeypatch.setattr(_fastpath, "ENABLED", enabled)
            client = _client(region_name=region, aws_access_key_id=access_key, config=config)
            arns.append(create_ca(client))
            # Each path finds what the other created.
            listed = {ca["Arn"] for ca in client.list_certificate_authorities()["CertificateAuthorities"]}
    assert [(arn.split(":")[1], arn.split(":")[3], arn.split(":")[4]) for arn in arns] == [expected, expected]
    assert listed == set(arns)


def _shape(value: Any) -> Any:
    """A response with what differs between two runs (ids, keys, times) reduced to its type."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items() if key not in ("RequestId",)}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


def _scenario(client: Any) -> Iterator[Any]:
    """A run of calls across the API, their outcomes as comparable values."""
    ca_arn = create_active_root(client, configuration=ca_configuration("RSA_2048", "SHA256WITHRSA"))
    yield _shape(client.describe_certificate_authority(CertificateAuthorityArn=ca_arn))
    leaf = issue(client, ca_arn, make_csr())
    yield _shape(leaf)
    yield _shape(
        client.revoke_certificate(
            CertificateAuthorityArn=ca_arn,
            CertificateSerial=format(int(leaf["CertificateArn"].rsplit("/", 1)[1], 16), "x"),
            RevocationReason="KEY_COMPROMISE",
        )
    )
    client.tag_certificate_authority(CertificateAuthorityArn=ca_arn, Tags=[{"Key": "team", "Value": "pki"}])
    yield client.list_tags(CertificateAuthorityArn=ca_arn)["Tags"]
    yield [
        _shape(page)
        for page in client.get_paginator("list_certificate_authorities").paginate(PaginationConfig={"PageSize": 1})
    ]
    client.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=ca_arn)
    bad_calls: list[Callable[[], Any]] = [
        lambda: client.describe_certificate_authority(
            CertificateAuthorityArn=ca_arn.rsplit("/", 1)[0] + "/11111111-2222-3333-4444-555555555555"
        ),
        lambda: client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=ca_arn + "/certificate/00"),
        lambda: client.issue_certificate(
            CertificateAuthorityArn=ca_arn,
            Csr=b"not a csr",
            SigningAlgorithm="SHA256WITHRSA",
            Validity={"Type": "DAYS", "Value": 1},
        ),
        lambda: client.list_certificate_authorities(MaxResults=1001),
    ]
    for bad in bad_calls:
        with pytest.raises(ClientError) as excinfo:
            bad()
        error = excinfo.value.response
        yield (
            error["Error"],
            error["ResponseMetadata"]["HTTPStatusCode"],
            error["ResponseMetadata"]["RetryAttempts"],
            sorted(error["ResponseMetadata"]["HTTPHeaders"]),
            type(excinfo.value).__name__,
        )


def test_both_paths_answer_a_scenario_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = []
    for enabled in (True, False):
        monkeypatch.setattr(_fastpath, "ENABLED", enabled)
        with mock_acmpca():
            outcomes.append([_normalise(item) for item in _scenario(_client())])
    assert outcomes[0] == outcomes[1]


def _normalise(value: Any) -> Any:
    """ARNs and ids in error messages differ from run to run."""
    text = repr(value)
    return re.sub(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(/certificate/[0-9a-f]+)?", "<id>", text
    )


def test_both_paths_retry_alike(path: bool) -> None:
    with mock_acmpca() as mock:
        client = _client(config=Config(retries={"mode": "standard", "total_max_attempts": 3}))
        mock.fail("ListCertificateAuthorities", "ThrottlingException", times=2)
        response = client.list_certificate_authorities()
        assert response["ResponseMetadata"]["RetryAttempts"] == 2
        mock.fail("ListCertificateAuthorities", "ThrottlingException", times=3)
        with pytest.raises(ClientError) as excinfo:
            client.list_certificate_authorities()
    assert excinfo.value.response["Error"]["Code"] == "ThrottlingException"
    assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == 2


def test_both_paths_raise_mock_errors_as_python_exceptions(path: bool) -> None:
    from pca_mock.errors import UnsupportedByMockError

    with mock_acmpca():
        client = _client(region_name="cn-north-1")
        with pytest.raises(UnsupportedByMockError):
            create_ca(client, configuration=ca_configuration("SM2", "SM3WITHSM2"))


# --- which client classes get the shortcut ---------------------------------------------


def test_client_classes_of_other_libraries_are_left_alone() -> None:
    class AsyncClient(BaseClient):
        async def _make_request(self, *args: Any) -> Any:  # what aiobotocore's client does
            raise NotImplementedError

    attributes: dict[str, Any] = {}
    _fastpath.add_to_client_class(attributes, [AsyncClient])
    assert attributes == {}

    theirs = object()
    attributes = {"_make_request": theirs}
    _fastpath.add_to_client_class(attributes, [BaseClient])
    assert attributes == {"_make_request": theirs}

    attributes = {}
    _fastpath.add_to_client_class(attributes, [object])
    assert attributes == {}

    attributes = {}
    _fastpath.add_to_client_class(attributes, [BaseClient])
    assert attributes == {"_make_request": _fastpath._make_request}


def test_a_session_from_before_import_still_works_through_patch_client(signatures: list[Any]) -> None:
    from tests.test_interception import _session_from_before_import

    client: Any = _session_from_before_import().create_client(
        "acm-pca", region_name=REGION, aws_access_key_id=_ACCESS_KEY, aws_secret_access_key="secret"
    )
    with mock_acmpca():
        from pca_mock import patch_client

        patch_client(client)
        assert client.list_certificate_authorities()["CertificateAuthorities"] == []
    assert len(signatures) == 1
    assert "_make_request" not in type(client).__dict__


def test_a_session_made_after_import_gives_its_clients_the_shortcut() -> None:
    client = botocore.session.Session().create_client(
        "acm-pca", region_name=REGION, aws_access_key_id=_ACCESS_KEY, aws_secret_access_key="secret"
    )
    assert type(client).__dict__["_make_request"] is _fastpath._make_request


def test_a_wrapper_on_the_endpoint_still_sees_each_request(
    signatures: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.endpoint import Endpoint

    seen: list[str] = []
    make_request = Endpoint.make_request

    def traced(self: Any, operation_model: Any, request_dict: Any) -> Any:
        seen.append(operation_model.name)
        return make_request(self, operation_model, request_dict)

    monkeypatch.setattr(Endpoint, "make_request", traced)
    with mock_acmpca():
        _client().list_certificate_authorities()
    assert seen == ["ListCertificateAuthorities"]
    assert signatures == []


def test_a_client_with_an_endpoint_of_another_kind_keeps_it_signed(
    signatures: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.endpoint import Endpoint

    class TracedEndpoint(Endpoint):
        pass

    with mock_acmpca():
        client = _client()
        monkeypatch.setattr(client._endpoint, "__class__", TracedEndpoint)
        assert client.list_certificate_authorities()["CertificateAuthorities"] == []
    assert len(signatures) == 1


def test_an_event_emitter_built_differently_keeps_requests_signed(
    signatures: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def unknown_emitter(events: Any, operation: str) -> int:
        raise AttributeError("'EventAliaser' object has no attribute '_emitter'")

    monkeypatch.setattr(_fastpath, "_verdict", unknown_emitter)
    with mock_acmpca():
        assert _client().list_certificate_authorities()["CertificateAuthorities"] == []
    assert len(signatures) == 1


@pytest.mark.parametrize(
    ("signing", "expected"),
    [
        pytest.param({"region": "eu-central-1"}, ("eu-central-1", "123456789012"), id="signing-region"),
        pytest.param({"request_credentials": "mapped"}, (REGION, "111122223333"), id="request-credentials"),
    ],
)
def test_both_paths_follow_the_endpoints_signing_context(
    path: bool, signing: dict[str, Any], expected: tuple[str, str]
) -> None:
    from botocore.credentials import Credentials

    if signing.get("request_credentials") == "mapped":
        signing = {"request_credentials": Credentials("AKIAMAPPEDKEY0000001", "secret")}

    def add_signing_context(context: dict[str, Any], **_: Any) -> None:
        context["signing"] = dict(signing)

    with mock_acmpca(accounts={"AKIAMAPPEDKEY0000001": "111122223333"}):
        client = _client()
        # What endpoint rules put there for services that sign for another region or identity.
        client.meta.events.register("before-call.acm-pca", add_signing_context)
        arn = create_ca(client)
    assert (arn.split(":")[3], arn.split(":")[4]) == expected
