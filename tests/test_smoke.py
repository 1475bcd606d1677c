from __future__ import annotations

from tests.helpers import create_active_root, issue, load_certificate, load_chain, make_csr


def test_leaf_from_active_root_verifies_against_root(client):
    root_arn = create_active_root(client)
    leaf = issue(client, root_arn, make_csr())
    root = load_chain(leaf["CertificateChain"])[0]
    load_certificate(leaf["Certificate"]).verify_directly_issued_by(root)
