"""Trust, round 3 (issue 23): the names a unit id may not take are the names a build writes
where pages named after unit ids also go (the reserved list is held to the real site)."""

from pathlib import Path

from generator.core.schema import SITE_NAMES
from generator.validate.pipeline import validate_repo
from helpers import FIXTURES


def _stem(name: str) -> str:
    return name.split(".", 1)[0]


def test_every_name_the_site_writes_beside_unit_pages_is_reserved(mini_office: Path, mini_public: Path):
    units = set(validate_repo(FIXTURES / "mini").records.units)
    for site in (mini_office, mini_public):
        written = {_stem(p.name) for p in site.iterdir() if not p.name.startswith(".")}  # ids never do
        for folder in ("units", "groups"):
            if (site / folder).is_dir():
                written |= {_stem(p.name) for p in (site / folder).iterdir()
                            if _stem(p.name).removesuffix("-jt") not in units}
        assert written <= SITE_NAMES, sorted(written - SITE_NAMES)
