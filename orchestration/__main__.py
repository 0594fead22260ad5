"""python -m orchestration run | rebuild | status"""
import sys

if __name__ == "__main__":
    if sys.argv[1:2] in (["run"], ["rebuild"]):
        # start importing Great Expectations in its worker before this process imports Dagster
        from orchestration.validation import prewarm

        prewarm()
    from orchestration.cli import main

    raise SystemExit(main())
