"""python3 -m attain_plan: the same as the attain-plan script."""
import sys

from attain_plan.cli import main

sys.exit(main())
