"""The service's rules: CA lifecycle, issuance, revocation, tags, quotas, errors.

Handlers take and return plain Python values; they know nothing of HTTP,
JSON or botocore (that is the protocol layer's job).
"""
