"""`python -m depreport` runs the command line."""

import sys

from depreport.cli import main

sys.exit(main())
