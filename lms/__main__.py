"""``python -m lms``: package the built book for an LMS (see ``lms.package``)."""

import sys

from lms.package import main

sys.exit(main())
