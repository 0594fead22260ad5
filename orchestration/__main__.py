"""python -m orchestration run | rebuild | status"""
from orchestration.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
