"""exokg's tests, one folder per stage of the package (``tests/query`` tests ``exokg/query``…).

Paths every test shares are defined here, so a test's place in the tree never decides where it looks.
"""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLD = TESTS / "gold"
