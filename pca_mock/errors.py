"""The two error families of pca_mock.

``ServiceError`` subclasses are AWS errors: the class name is the wire error
code, and the protocol layer sends them back as HTTP 400 (500 and 503 for the
two server-side errors a test can inject) so tests see a botocore
``ClientError`` with the real ``Code`` and ``Message``.

``PcaMockError`` subclasses are about the mock itself (misuse, or something not
modelled yet). They are raised as plain Python exceptions from the botocore
handler and reach the caller unchanged: they are never disguised as AWS errors.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AccessDeniedException",
    "CertificateMismatchException",
    "ConcurrentModificationException",
    "InternalFailure",
    "InvalidArgsException",
    "InvalidArnException",
    "InvalidNextTokenException",
    "InvalidPolicyException",
    "InvalidRequestException",
    "InvalidStateException",
    "InvalidTagException",
    "LimitExceededException",
    "LockoutPreventedException",
    "MalformedCSRException",
    "MalformedCertificateException",
    "MockStateError",
    "ObjectNotFoundError",
    "PcaMockError",
    "PermissionAlreadyExistsException",
    "RequestAlreadyProcessedException",
    "RequestFailedException",
    "RequestInProgressException",
    "ResourceNotFoundException",
    "SerializationException",
    "ServiceError",
    "ServiceUnavailable",
    "ThrottlingException",
    "TooManyTagsException",
    "UnsupportedByMockError",
    "ValidationException",
]


class ServiceError(Exception):
    """An error the real service answers with; ``code`` is the AWS error code."""

    code: ClassVar[str] = "ServiceError"
    http_status: ClassVar[int] = 400

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.code = cls.__name__

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AccessDeniedException(ServiceError):
    pass


class CertificateMismatchException(ServiceError):
    pass


class ConcurrentModificationException(ServiceError):
    pass


class InvalidArgsException(ServiceError):
    pass


class InternalFailure(ServiceError):
    """AWS's common 500 error. The mock raises it only when a test injects it (``mock.fail``)."""

    http_status = 500


class InvalidArnException(ServiceError):
    pass


class InvalidNextTokenException(ServiceError):
    pass


class InvalidPolicyException(ServiceError):
    pass


class InvalidRequestException(ServiceError):
    pass


class InvalidStateException(ServiceError):
    pass


class InvalidTagException(ServiceError):
    pass


class LimitExceededException(ServiceError):
    pass


class LockoutPreventedException(ServiceError):
    pass


class MalformedCertificateException(ServiceError):
    pass


class MalformedCSRException(ServiceError):
    pass


class PermissionAlreadyExistsException(ServiceError):
    pass


class RequestAlreadyProcessedException(ServiceError):
    pass


class RequestFailedException(ServiceError):
    pass


class RequestInProgressException(ServiceError):
    pass


class ResourceNotFoundException(ServiceError):
    pass


class SerializationException(ServiceError):
    """A request member has the wrong JSON type (only possible with client validation off)."""


class ServiceUnavailable(ServiceError):
    """AWS's common 503 error. The mock raises it only when a test injects it (``mock.fail``)."""

    http_status = 503


class ThrottlingException(ServiceError):
    pass


class TooManyTagsException(ServiceError):
    pass


class ValidationException(ServiceError):
    pass


class PcaMockError(Exception):
    """Base class for errors about the mock itself, never sent over the wire."""


class UnsupportedByMockError(PcaMockError, NotImplementedError):
    """A request uses something pca_mock does not model yet.

    Raised instead of answering with a guess, so a test never passes against
    behaviour the real service would not show.
    """


class MockStateError(PcaMockError, RuntimeError):
    """The mock was used in a way its lifecycle does not allow."""


class ObjectNotFoundError(PcaMockError, LookupError):
    """Nothing the mock wrote (a CRL, an audit report) is at that bucket, key or URL."""
