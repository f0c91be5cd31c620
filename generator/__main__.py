import os
import sys

# `python -m generator` puts the working directory first on sys.path, ahead of the installed
# packages: run in a data repository, a folder there named like a library we import (yaml/,
# mike/, pandas/) would run in its place. The data is read, never run, so that entry goes
# before anything else is imported. (A data repository with a `generator/` package of its
# own is what `python -m` itself runs instead of this module: there use `qingqian`, or
# `python -P -m generator`.)
if not sys.flags.safe_path and sys.path and os.path.realpath(sys.path[0] or os.curdir) == os.path.realpath(os.curdir):
    del sys.path[0]

from .cli.main import main

if __name__ == "__main__":  # a worker started fresh (spawn, forkserver) imports this module again
    sys.exit(main())
