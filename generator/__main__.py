import sys

from .cli.main import main

if __name__ == "__main__":  # a worker started fresh (spawn, forkserver) imports this module again
    sys.exit(main())
