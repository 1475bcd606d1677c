"""Pure X.509 work on pyca/cryptography: keys, names, templates, certificates, chains.

Nothing here knows about accounts, regions, ARNs or CA status; the service
layer decides what to build and this package builds and checks it.
"""
