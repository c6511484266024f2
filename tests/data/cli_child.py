"""Runs the multiaug command with the test augmenters registered (used as a subprocess by the tests)."""

if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import augs

    augs.define()
    from multiaug.cli import main

    main()
