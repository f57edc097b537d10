import sys
from pathlib import Path

# tests/factories.py is shared by the integration and browser tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
