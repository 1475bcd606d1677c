"""Distinguished names and general names from their AWS (ASN1Subject, GeneralName) forms."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier

# ASN1Subject members in model order, which is the RDN order AWS encodes.
# String types follow cryptography's defaults, which match X.520: PrintableString
# for Country, SerialNumber and DNQualifier, UTF8String for the rest.
SUBJECT_FIELDS: tuple[tuple[str, ObjectIdentifier], ...] = (
    ("Country", NameOID.COUNTRY_NAME),
    ("Organization", NameOID.ORGANIZATION_NAME),
    ("OrganizationalUnit", NameOID.ORGANIZATIONAL_UNIT_NAME),
    ("DistinguishedNameQualifier", NameOID.DN_QUALIFIER),
    ("State", NameOID.STATE_OR_PROVINCE_NAME),
    ("CommonName", NameOID.COMMON_NAME),
    ("SerialNumber", NameOID.SERIAL_NUMBER),
    ("Locality", NameOID.LOCALITY_NAME),
    ("Title", NameOID.TITLE),
    ("Surname", NameOID.SURNAME),
    ("GivenName", NameOID.GIVEN_NAME),
    ("Initials", NameOID.INITIALS),
    ("Pseudonym", NameOID.PSEUDONYM),
    ("GenerationQualifier", NameOID.GENERATION_QUALIFIER),
)
SUBJECT_FIELD_NAMES = tuple(name for name, _ in SUBJECT_FIELDS)

GENERAL_NAME_CHOICES = (
    "OtherName",
    "Rfc822Name",
    "DnsName",
    "DirectoryName",
    "EdiPartyName",
    "UniformResourceIdentifier",
    "IpAddress",
    "RegisteredId",
)


_TEXT_NAMES: dict[str, type[x509.DNSName | x509.RFC822Name | x509.UniformResourceIdentifier]] = {
    "DnsName": x509.DNSName,
    "Rfc822Name": x509.RFC822Name,
    "UniformResourceIdentifier": x509.UniformResourceIdentifier,
}


# The attributes pyca/cryptography writes as PrintableString, and that type's characters (X.680 §41.4).
_PRINTABLE_STRING_OIDS = frozenset(
    {NameOID.COUNTRY_NAME, NameOID.JURISDICTION_COUNTRY_NAME, NameOID.SERIAL_NUMBER, NameOID.DN_QUALIFIER}
)
_PRINTABLE_STRING = re.compile(r"[A-Za-z0-9 '()+,\-./:=?]*")


class InvalidNameError(ValueError):
    """A name that cannot be encoded; the message is fit to show the caller."""


def parse_oid(value: str, what: str) -> ObjectIdentifier:
    """An OID from a request; the model's pattern admits arcs too large to encode.

    Raises:
        InvalidNameError: the value cannot be an object identifier.
    """
    try:
        return ObjectIdentifier(value)
    except ValueError:
        raise InvalidNameError(f"The {what} {value!r} is not a valid object identifier.") from None


def build_name(subject: Mapping[str, Any], what: str = "subject") -> x509.Name:
    """An X.509 Name from an ASN1Subject: one RDN per field, in model order.

    CustomAttributes become one RDN each, in list order.

    Raises:
        InvalidNameError: no attribute, or custom attributes together with
            standard ones (AWS allows one kind or the other).
    """
    attributes = [
        x509.NameAttribute(oid, subject[field]) for field, oid in SUBJECT_FIELDS if subject.get(field) is not None
    ]
    custom = subject.get("CustomAttributes")
    if custom and attributes:
        raise InvalidNameError(f"The {what} cannot have both custom attributes and standard attributes.")
    for attribute in custom or ():
        oid = parse_oid(attribute["ObjectIdentifier"], "CustomAttribute ObjectIdentifier")
        try:
            attributes.append(x509.NameAttribute(oid, attribute["Value"]))
        except ValueError as error:
            raise InvalidNameError(f"The {what} is not valid: {error}") from None
    if not attributes:
        raise InvalidNameError(f"The {what} must have at least one attribute.")
    for attribute in attributes:
        # pyca/cryptography checks a PrintableString's characters only when it signs.
        value = attribute.value
        if attribute.oid in _PRINTABLE_STRING_OIDS and not _PRINTABLE_STRING.fullmatch(str(value)):
            raise InvalidNameError(
                f"The {what} is not valid: the value {value!r} of {attribute.oid.dotted_string} is not a PrintableString."
            )
    name = x509.Name(attributes)
    try:
        name.public_bytes()
    except ValueError as error:
        # A lone surrogate (JSON can carry one) cannot be encoded as UTF-8.
        raise InvalidNameError(f"The {what} is not valid: {error}") from None
    return name


def _utf8_string_der(value: str) -> bytes:
    encoded = value.encode()
    length = len(encoded)
    if length < 0x80:
        header = bytes([0x0C, length])
    else:
        size = (length.bit_length() + 7) // 8
        header = bytes([0x0C, 0x80 | size]) + length.to_bytes(size, "big")
    return header + encoded


def build_general_name(name: Mapping[str, Any]) -> x509.GeneralName:
    """An X.509 GeneralName from an AWS GeneralName with exactly one choice set.

    Raises:
        InvalidNameError: if not exactly one choice is set, or a value cannot be encoded.
    """
    chosen = [choice for choice in GENERAL_NAME_CHOICES if name.get(choice) is not None]
    if len(chosen) != 1:
        raise InvalidNameError("A GeneralName must have exactly one of its fields set.")
    choice = chosen[0]
    value = name[choice]
    if choice in _TEXT_NAMES:
        if not value.isascii():
            raise InvalidNameError(
                f"The {choice} {value!r} is not ASCII; write internationalized names as IDNA A-labels (xn--)."
            )
        return _TEXT_NAMES[choice](value)
    if choice == "IpAddress":
        try:
            return x509.IPAddress(ipaddress.ip_address(value))
        except ValueError:
            raise InvalidNameError(f"The IpAddress {value!r} is not a valid IPv4 or IPv6 address.") from None
    if choice == "RegisteredId":
        return x509.RegisteredID(parse_oid(value, "RegisteredId"))
    if choice == "DirectoryName":
        return x509.DirectoryName(build_name(value, "DirectoryName"))
    if choice == "OtherName":
        return x509.OtherName(parse_oid(value["TypeId"], "OtherName TypeId"), _utf8_string_der(value["Value"]))
    raise NotImplementedError(choice)  # EdiPartyName: pyca/cryptography cannot encode it
