"""Roll-up across levels (DESIGN §3d): a level hands its figures up as a bundle of Parquet
files with a manifest of their SHA-256 (bundle.py); the level above verifies its members'
bundles (members.py, signing.py) and sums them with DuckDB (aggregate.py) without merging
their repositories."""

NAMESPACE = "qingqian-bundle"  # ssh-keygen -Y sign/verify -n: a signature made for nothing else
MANIFEST, SIGNATURE = "manifest.json", "manifest.json.sig"
TABLES = ("debts", "units", "clues")  # each as <name>.parquet and its JSON copy <name>.json


class RollupError(Exception):
    """A member's bundle is refused (tampered, unsigned, unreadable): the message is Chinese and
    names the member."""


class BundleError(Exception):
    """A bundle cannot be written as asked (signing key, output folder); Chinese message."""
