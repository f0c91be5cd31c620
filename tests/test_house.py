"""The limits the architecture keeps (issue 14), held by a test so the house cannot silently
decay: stage folders of a few small modules each. The import direction is held by lint-imports."""

from helpers import REPO

MODULES_PER_FOLDER = 15  # modules besides __init__.py
LINES_PER_MODULE = 400


def test_no_stage_folder_holds_more_than_fifteen_modules():
    crowded = {}
    for folder in sorted(p for p in (REPO / "generator").iterdir() if (p / "__init__.py").is_file()):
        modules = [p.name for p in folder.glob("*.py") if p.name != "__init__.py"]
        if len(modules) > MODULES_PER_FOLDER:
            crowded[folder.name] = len(modules)
    assert not crowded, f"split these stage folders: {crowded}"


def test_no_module_is_longer_than_four_hundred_lines():
    long = {str(p.relative_to(REPO)): n for p in (REPO / "generator").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LINES_PER_MODULE}
    assert not long, f"split these modules: {long}"
